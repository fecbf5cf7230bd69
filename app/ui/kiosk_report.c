/* kiosk_report.c - the supervisor's 报表 screen: a day or a month by meal
 * period, subsidy rule and funding source, a shift's Z report again, and
 * export of the CSVs to a folder (a USB stick).
 *
 * The numbers are the store's (app/store/report.c), the same as `zhucan
 * report` prints.  Export folders are the configured export_dir and the
 * mounted removable media under /media/USER/NAME and /run/media/USER/NAME;
 * the list is read when the export screen opens (or 刷新 is tapped), never
 * per frame. */
#include <glob.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk_int.h"

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Reads what the current view shows; a failure is said on screen. */
static void load(kiosk_t *k)
{
    zc_err err = {{0}};
    store_t *st = till_store(k->t);
    zc_date a = k->rpt.day, b = k->rpt.day;
    k->rpt.have_r = k->rpt.have_z = false;
    if (k->rpt.view == K_RPT_SHIFT) {
        store_shift sh;
        if (store_report_shift_ids(st, k->rpt.shifts, K_MAX_SHIFTS, &k->rpt.nshifts, &err) != ZC_OK) {
            k_message(k, true, "%s", err.msg);
            return;
        }
        if (!k->rpt.nshifts) {
            k_message(k, false, "%s", TR(k, "还没有班次"));
            return;
        }
        if (k->rpt.shift_i >= k->rpt.nshifts)
            k->rpt.shift_i = k->rpt.nshifts - 1;
        if (store_report_shift_get(st, k->rpt.shifts[k->rpt.shift_i], &sh, &err) != ZC_OK ||
            store_shift_report(st, &sh, k_epoch_now(k), &k->rpt.z, &err) != ZC_OK) {
            k_message(k, true, "%s", err.msg);
            return;
        }
        k->rpt.have_z = true;
        return;
    }
    if (k->rpt.view == K_RPT_MONTH)
        store_report_month(k->rpt.day, &a, &b);
    if (store_report_range(st, a, b, &k->rpt.r, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return;
    }
    k->rpt.have_r = true;
}

void k_report_enter(kiosk_t *k, k_screen back)
{
    k->rpt.back = back;
    k->rpt.view = K_RPT_DAY;
    k->rpt.day = k_local_now(k).date;
    k->rpt.shift_i = 0;
    k->rpt.nfiles = 0;
    k->msg[0] = '\0';
    k_goto(k, K_REPORT);
    load(k);
}

/* One step back (-1) or forward (+1): a day, a month or a shift. */
static void step(kiosk_t *k, int dir)
{
    zc_date d = k->rpt.day;
    k->msg[0] = '\0';
    if (k->rpt.view == K_RPT_DAY) {
        d = zc_civil_from_days(zc_days_from_civil(d) + dir);
    } else if (k->rpt.view == K_RPT_MONTH) {
        d.d = 1;
        d.m += dir;
        if (d.m < 1) {
            d.m = 12;
            d.y--;
        } else if (d.m > 12) {
            d.m = 1;
            d.y++;
        }
    } else {
        /* the list is newest first: back in time is further down it */
        int i = k->rpt.shift_i - dir;
        if (i >= 0 && i < k->rpt.nshifts)
            k->rpt.shift_i = i;
        load(k);
        return;
    }
    if (zc_date_cmp(d, k_local_now(k).date) > 0) {
        k_message(k, false, "%s", TR(k, "不能查看未来的日期"));
        return;
    }
    k->rpt.day = d;
    load(k);
}

static void add_dir(kiosk_t *k, const char *p)
{
    if (k->rpt.ndirs >= K_MAX_DIRS || !is_dir(p))
        return;
    for (int i = 0; i < k->rpt.ndirs; i++)
        if (strcmp(k->rpt.dirs[i], p) == 0)
            return;
    if (snprintf(k->rpt.dirs[k->rpt.ndirs], sizeof k->rpt.dirs[0], "%s", p) < (int)sizeof k->rpt.dirs[0])
        k->rpt.ndirs++;
}

/* The folders an export can go to: removable media first (a stick just
 * put in is what the supervisor means), then the configured export_dir. */
static void scan_dirs(kiosk_t *k)
{
    static const char *const patterns[] = {"/media/*/*", "/run/media/*/*"};
    char cfg[256];
    k->rpt.ndirs = 0;
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        glob_t g;
        if (glob(patterns[p], GLOB_ONLYDIR, NULL, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc; i++)
                add_dir(k, g.gl_pathv[i]);
        globfree(&g);
    }
    if (store_meta_get(till_store(k->t), "export_dir", cfg, sizeof cfg) == ZC_OK && cfg[0])
        add_dir(k, cfg);
}

static void export_to(kiosk_t *k, int i)
{
    zc_err err = {{0}};
    char term[64] = "", detail[300];
    if (i < 0 || i >= k->rpt.ndirs)
        return;
    if (store_meta_get(till_store(k->t), "terminal_id", term, sizeof term) != ZC_OK)
        term[0] = '\0';
    till_export_req req = {.terminal_id = term};
    if (k->rpt.view == K_RPT_SHIFT && k->rpt.have_z) {
        req.z = &k->rpt.z;
    } else if (k->rpt.view != K_RPT_SHIFT && k->rpt.have_r) {
        req.r = &k->rpt.r;
        req.month = k->rpt.view == K_RPT_MONTH;
    } else {
        k_message(k, true, "%s", TR(k, "没有可导出的报表"));
        return;
    }
    int rc = till_report_export(till_store(k->t), &req, k->rpt.dirs[i], k->rpt.files, &k->rpt.nfiles, &err);
    /* audited with who approved it: the ledger leaves the terminal (elders masked) */
    snprintf(detail, sizeof detail, "files=%d rc=%d by=%s", k->rpt.nfiles, rc,
             k->op.role == STORE_ROLE_CASHIER ? k->auth_by : k->op.id);
    zc_err aerr = {{0}};
    if (store_audit(till_store(k->t), k->op.id, "report_export", k->rpt.dirs[i], detail, &aerr) != ZC_OK &&
        rc == ZC_OK) {
        rc = ZC_EDB;
        snprintf(err.msg, sizeof err.msg, "%s", aerr.msg);
    }
    snprintf(k->rpt.detail, sizeof k->rpt.detail, "%s", rc == ZC_OK ? "" : err.msg);
    if (rc == ZC_OK) {
        k_message(k, false, "%s %d %s", TR(k, "导出成功，已写入"), k->rpt.nfiles, TR(k, "个文件"));
        k_say(k, "tone_ok");
    } else {
        /* the cause in words first; the store's message names the file */
        const char *why = rc == ZC_ENOTFOUND ? TR(k, "找不到这个文件夹，U盘是否已拔出？")
                          : rc == ZC_EFULL || rc == ZC_EIO ? TR(k, "写入失败，U盘可能已满或已拔出")
                                                            : TR(k, "导出失败");
        k_message(k, true, "%s", why);
        k_say(k, "tone_error");
    }
}

bool k_report_tap(kiosk_t *k, const char *id)
{
    if (k->scr == K_EXPORT) {
        if (strncmp(id, "dir:", 4) == 0 && id[4] >= '0' && id[4] <= '9' && !id[5]) {
            export_to(k, id[4] - '0');
        } else if (strcmp(id, "rescan") == 0) {
            scan_dirs(k);
            k->msg[0] = '\0';
            k->rpt.nfiles = 0;
            k->rpt.detail[0] = '\0';
        } else if (strcmp(id, "back") == 0) {
            k->msg[0] = '\0';
            k_goto(k, K_REPORT);
        }
        return true;
    }
    if (strcmp(id, "view:day") == 0 || strcmp(id, "view:month") == 0 || strcmp(id, "view:shift") == 0) {
        k->rpt.view = id[5] == 'd' ? K_RPT_DAY : id[5] == 'm' ? K_RPT_MONTH : K_RPT_SHIFT;
        k->msg[0] = '\0';
        load(k);
    } else if (strcmp(id, "prev") == 0) {
        step(k, -1);
    } else if (strcmp(id, "next") == 0) {
        step(k, +1);
    } else if (strcmp(id, "today") == 0) {
        k->rpt.day = k_local_now(k).date;
        k->rpt.shift_i = 0;
        k->msg[0] = '\0';
        load(k);
    } else if (strcmp(id, "export") == 0) {
        k->rpt.nfiles = 0;
        k->rpt.detail[0] = '\0';
        k->msg[0] = '\0';
        scan_dirs(k);
        k_goto(k, K_EXPORT);
    } else if (strcmp(id, "back") == 0) {
        k->msg[0] = '\0';
        if (k->rpt.back == K_SELL)
            k_sell_enter(k);
        else
            k_goto(k, k->rpt.back);
    }
    return true;
}
