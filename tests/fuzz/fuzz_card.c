/* fuzz_card.c - libFuzzer target: what a card reader or ID reader types.
 *
 * The first byte picks a wedge timing script for the rest (the
 * keyboard-wedge burst detector, app/ui/wedge.c); the rest, as one reader
 * line, goes through every card format, the ID-number check and the QR
 * token verifier (app/core/card.c, idnum.c, qr.c).  A line that parses must
 * render back to the same key: that property is checked, not just "no
 * crash". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/core/card.h"
#include "../../app/ui/wedge.h"

#define LINE_MAX_ (2 * ZC_INPUT_MAX)

static void card_line(const char *line)
{
    static const zc_card_fmt fmts[] = {ZC_CARD_HEX10, ZC_CARD_DEC10, ZC_CARD_DEC8, ZC_CARD_FACILITY};
    unsigned char pk[ZC_QR_PK_BYTES];
    zc_card_key key, again;
    zc_date birth;
    zc_qr qr;
    zc_err err;
    uint64_t uid;
    char buf[64];
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        if (zc_card_parse(line, fmts[i], &key, &err) != ZC_OK)
            continue;
        /* rendering the parsed key in the same format gives the same key */
        if (!zc_card_render(key.value, fmts[i], buf, sizeof buf) ||
            zc_card_parse(buf, fmts[i], &again, &err) != ZC_OK || again.value != key.value ||
            again.bits != key.bits || !zc_card_matches(&key, key.value))
            abort();
    }
    if (zc_card_uid_parse(line, &uid, &err) == ZC_OK &&
        (uid >> 40 || strlen(zc_card_uid_fmt(uid, buf, sizeof buf)) != 10))
        abort();
    (void)zc_input_classify(line);
    if (zc_idnum_check(line, &err) == ZC_OK && zc_idnum_birth(line, &birth) != ZC_OK)
        abort();
    memset(pk, 0x5a, sizeof pk);
    (void)zc_qr_verify(pk, line, (zc_date){2026, 11, 23}, &qr, &err);
    (void)zc_hex_decode(line, pk, (int)sizeof pk);
}

/* Replays bytes as keystrokes: each event byte says how many ms pass (low
 * 6 bits) and what happens (top 2 bits: a character follows, Enter, poll,
 * flush).  Every delivered text must fit the caller's buffer. */
static void wedge_replay(const uint8_t *d, size_t n, int outn)
{
    char out[ZC_INPUT_MAX + 1], ch[8];
    wedge w;
    int64_t now = 1000;
    wedge_init(&w, 0, 0);
    for (size_t i = 0; i < n;) {
        uint8_t ev = d[i++];
        wedge_out r = WEDGE_NONE;
        now += ev & 0x3f;
        switch (ev >> 6) {
        case 0:
        case 1: { /* one character: 1..4 bytes as the lead byte says, unchecked */
            size_t l = 1;
            if (i < n && d[i] >= 0xC0)
                l = d[i] >= 0xF0 ? 4 : d[i] >= 0xE0 ? 3 : 2;
            if (l > n - i)
                l = n - i;
            memcpy(ch, d + i, l);
            ch[l] = '\0';
            i += l;
            r = wedge_char(&w, ch, now, out, outn);
            break;
        }
        case 2:
            r = wedge_enter(&w, now, out, outn);
            break;
        default:
            r = (ev & 1) ? wedge_flush(&w, out, outn) : wedge_poll(&w, now, out, outn);
            break;
        }
        if (r != WEDGE_NONE && strlen(out) >= (size_t)outn)
            abort();
        if (wedge_wait_ms(&w, now) > w.burst_ms + 1)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[LINE_MAX_ + 1];
    if (size < 1)
        return 0;
    size_t n = size - 1 < LINE_MAX_ ? size - 1 : LINE_MAX_;
    memcpy(line, data + 1, n);
    line[n] = '\0';
    card_line(line);
    /* out buffers from 1 byte (nothing fits) to the host's full size */
    wedge_replay(data + 1, size - 1, 1 + data[0] % (ZC_INPUT_MAX + 1));
    return 0;
}
