/* receipt.h - the paper receipt: layout as ESC/POS bytes, and printing.
 *
 * A receipt_t is a plain copy of what the sale says (no pointers), filled by
 * the till from a committed sale or a reprint.  receipt_escpos lays it out
 * for a Chinese thermal printer (58 mm = 32 columns, 80 mm = 48) in GB18030;
 * receipt_print sends bytes to the printer device or a file without ever
 * blocking the till for longer than its timeout.  No SDL, no database. */
#ifndef ZC_TILL_RECEIPT_H
#define ZC_TILL_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/civil.h"
#include "../core/model.h"

#define RECEIPT_MAX_PARTS 16
#define RECEIPT_BYTES_MAX 16384 /* a buffer this big holds any receipt */

/* One sold line. */
typedef struct receipt_line {
    char name[ZC_NAME_MAX];
    int qty;         /* 1..999 */
    zc_fen unit_fen;
    zc_fen line_fen; /* qty * unit_fen (checked) */
} receipt_line;

/* One funding source's share of one rule ("老年助餐补贴", "district", 300). */
typedef struct receipt_part {
    char rule_name[ZC_NAME_MAX];
    char source[ZC_CODE_MAX]; /* city, district, town, operator ... (shown in Chinese) */
    zc_fen fen;
} receipt_part;

typedef struct receipt_t {
    char canteen[ZC_NAME_MAX];   /* header, printed double size */
    char terminal[ZC_ID_MAX];    /* terminal id */
    int64_t seq;                 /* the terminal's gap-free sale number */
    char uuid[ZC_ID_MAX];        /* sale id (idempotency key) */
    zc_datetime at;              /* local time of the sale */
    char operator_name[ZC_NAME_MAX];
    receipt_line lines[ZC_MAX_LINES];
    int nlines;
    zc_fen gross;                /* sum of lines (checked) */
    receipt_part parts[RECEIPT_MAX_PARTS];
    int nparts;
    zc_fen pay;                  /* what the elder pays: gross - sum of parts (checked) */
    char method[ZC_CODE_MAX];    /* cash, mobile, wechat, alipay, card, free ... */
    char pay_ref[ZC_ID_MAX];     /* payment reference; "" = none */
    zc_fen tendered;             /* cash handed over; 0 when not cash */
    zc_fen change;               /* tendered - pay; 0 when not cash */
    char elder_name[ZC_NAME_MAX];/* masked again when printed (张*英); "" = walk-in */
    char footer[ZC_NAME_MAX];    /* optional last line (hotline ...); "" = default thanks */
    bool reprint;                /* prints a 补打 mark under the header */
} receipt_t;

/* Renders r as ESC/POS for a printer width_chars columns wide (32 or 48;
 * 24..64 accepted): init, Chinese mode, a double-size header, columns
 * aligned by printed width (ASCII 1 column, Chinese 2), amounts as "12.50",
 * then feed and cut.  Text is GB18030; control characters in names are
 * printed as spaces so a dish name cannot send printer commands.
 * Writes at most cap bytes into buf and sets *len.  ZC_EINVAL when the
 * receipt does not add up (lines vs gross, gross - parts vs pay, change),
 * ZC_ETOOBIG when cap is too small, ZC_EIO when iconv is unavailable. */
int receipt_escpos(const receipt_t *r, int width_chars, char *buf, size_t cap, size_t *len,
                   zc_err *err) ZC_MUST;

/* Writes bytes to a printer device (/dev/usb/lp0, /dev/ttyUSB0) or a file.
 * A plain file is created (0644) when its directory exists; device paths
 * under /dev are never created.  Opens non-blocking and waits with poll()
 * at most timeout_ms in total.  On failure err says, in words a cashier
 * understands, that the printer is not connected / not ready and that the
 * sale is saved and can be reprinted from 最近交易. */
int receipt_print(const char *device_or_file, const char *bytes, size_t len, int timeout_ms,
                  zc_err *err) ZC_MUST;

#endif
