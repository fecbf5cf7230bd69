/* kiosk_report.c - the supervisor's 报表 screen: a day or a month by meal
 * period, subsidy rule and funding source, a shift's Z report again, and
 * export of the CSVs to a folder (a USB stick).
 *
 * The numbers are the store's (app/store/report.c), the same as `zhucan
 * report` prints.  Export folders are the configured export_dir and the
 * mounted removable media under /media/USER/NAME and /run/media/USER/NAME;
 * the list is read when the export screen opens (or 刷新 is tapped), never
 * per frame.
 *
 * Layout at 1080p (kv scales it): tabs and the date navigation on top,
 * three panels (totals, by meal period, by rule and source), a bar chart of
 * meals and subsidy under them (per meal period for a day, per day for a
 * month), 返回 and 导出 at the bottom.  A shift shows its Z report. */
#include <glob.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk_int.h"

/* widget ids, with K_ID_BACK and K_ID_NEXT */
#define ID_VIEW "view:" /* + a view_names entry */
#define ID_PREV "prev"
#define ID_TODAY "today"
#define ID_EXPORT "export"
#define ID_DIR "dir:" /* + an export folder's index */
#define ID_RESCAN "rescan"

/* The tabs, by k_rpt_view. */
static const char *const view_names[] = {[K_RPT_DAY] = "day", [K_RPT_MONTH] = "month", [K_RPT_SHIFT] = "shift"};

enum { C_MEALS = 0x2E8B57, C_SUBSIDY = 0x1F4E8C, C_AXIS = 0x8A8A8A };

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

/* A fresh visit: today's day report. */
static void report_open(kiosk_t *k)
{
    k->rpt.view = K_RPT_DAY;
    k->rpt.day = k_local_now(k).date;
    k->rpt.shift_i = 0;
    k->rpt.nfiles = 0;
    k->msg[0] = '\0';
    load(k);
}

void k_report_enter(kiosk_t *k, k_screen back)
{
    k->rpt.back = back;
    k_open(k, K_REPORT);
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
             k->op.role == STORE_ROLE_CASHIER ? k->auth.by : k->op.id);
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

static void title(const k_view *v, const char *text)
{
    ui_text(v->d, (ui_rect){kv(v, 60), kv(v, 84), v->w / 2, kv(v, 100)}, text, kv(v, 60), K_INK, UI_LEFT, true);
}

static const char *weekday_name(kiosk_t *k, zc_date d)
{
    static const char *const names[] = {"星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"};
    int w = zc_weekday(d);
    return w >= 1 && w <= 7 ? TR(k, names[w - 1]) : "";
}

/* A panel with a bold heading and up to nlines lines of text of size fs
 * (at 1080p), as many as fit. */
static void panel(const k_view *v, ui_rect r, const char *head, char lines[][160], int nlines, int fs)
{
    int pad = kv(v, 20), row = kv(v, fs * 13 / 10);
    ui_rect_fill(v->d, r, K_PANEL);
    ui_frame(v->d, r, K_LINE);
    ui_text(v->d, (ui_rect){r.x + pad, r.y + kv(v, 6), r.w - 2 * pad, kv(v, 52)}, head, kv(v, 38), K_INK, UI_LEFT,
            true);
    for (int i = 0; i < nlines; i++) {
        ui_rect t = {r.x + pad, r.y + kv(v, 62) + i * row, r.w - 2 * pad, row};
        if (t.y + t.h > r.y + r.h)
            break;
        ui_text(v->d, t, lines[i], kv(v, fs), K_INK, UI_LEFT, false);
    }
}

static void tabs(kiosk_t *k, const k_view *v)
{
    static const char *const labels[] = {[K_RPT_DAY] = "日报", [K_RPT_MONTH] = "月报", [K_RPT_SHIFT] = "班次"};
    int bw = kv(v, 220), gap = kv(v, 16), x = v->w - kv(v, 60) - 3 * bw - 2 * gap;
    for (int i = 0; i < 3; i++) {
        char id[UI_WID_MAX];
        bool on = (int)k->rpt.view == i;
        snprintf(id, sizeof id, "%s%s", ID_VIEW, view_names[i]);
        ui_button(v->d, id, (ui_rect){x + i * (bw + gap), kv(v, 84), bw, kv(v, 96)}, TR(k, labels[i]), kv(v, 44),
                  on ? K_SELECTED : K_PANEL, on ? 0xFFFFFF : K_INK, true);
    }
}

/* ‹ the day, month or shift shown › and 今天. */
static void nav(kiosk_t *k, const k_view *v)
{
    char label[200], a[24], b[24];
    int m = kv(v, 60), y = kv(v, 196), h = kv(v, 96), bw = kv(v, 260), gap = kv(v, 20);
    bool shift = k->rpt.view == K_RPT_SHIFT;
    ui_button(v->d, ID_PREV, (ui_rect){m, y, bw, h},
              TR(k, shift ? "‹ 上一班" : k->rpt.view == K_RPT_MONTH ? "‹ 上个月" : "‹ 前一天"), kv(v, 40), K_PANEL,
              K_INK, true);
    ui_button(v->d, K_ID_NEXT, (ui_rect){v->w - m - bw, y, bw, h},
              TR(k, shift ? "下一班 ›" : k->rpt.view == K_RPT_MONTH ? "下个月 ›" : "后一天 ›"), kv(v, 40), K_PANEL,
              K_INK, true);
    ui_button(v->d, ID_TODAY, (ui_rect){v->w - m - 2 * bw - gap, y, bw, h},
              TR(k, shift ? "最新" : k->rpt.view == K_RPT_MONTH ? "本月" : "今天"), kv(v, 40), K_PANEL, K_INK, true);
    zc_date d = k->rpt.day;
    if (k->rpt.view == K_RPT_DAY) {
        snprintf(label, sizeof label, "%04d-%02d-%02d %s", d.y, d.m, d.d, weekday_name(k, d));
    } else if (k->rpt.view == K_RPT_MONTH) {
        snprintf(label, sizeof label, "%04d-%02d", d.y, d.m);
    } else if (k->rpt.have_z) {
        const store_shift *sh = &k->rpt.z.shift;
        zc_datetime_fmt(zc_tz_local(sh->opened_utc), a, sizeof a);
        if (sh->closed_utc)
            zc_datetime_fmt(zc_tz_local(sh->closed_utc), b, sizeof b);
        const char *who = sh->operator_id;
        for (int i = 0; i < k->nops; i++)
            if (strcmp(k->ops[i].id, sh->operator_id) == 0)
                who = k->ops[i].name;
        snprintf(label, sizeof label, "%s #%lld %s  %s ~ %s", TR(k, "班次"), (long long)sh->id, who, a + 5,
                 sh->closed_utc ? b + 5 : TR(k, "未交班"));
    } else {
        snprintf(label, sizeof label, "%s", TR(k, "还没有班次"));
    }
    ui_text(v->d, (ui_rect){m + bw + gap, y, v->w - 2 * m - 3 * bw - 3 * gap, h}, label, kv(v, 52), K_INK,
            UI_CENTER, true);
}

/* Bars of meals and subsidy per group (a period or a day), each measure on
 * its own scale, values on top when there is room. */
static void chart(kiosk_t *k, const k_view *v, ui_rect r)
{
    const store_report *rep = &k->rpt.r;
    bool month = k->rpt.view == K_RPT_MONTH;
    const store_report_row *rows = month ? rep->by_day : rep->by_period;
    int n = month ? rep->nday : rep->nperiod;
    char buf[80], a[24];
    ui_draw *d = v->d;
    ui_rect_fill(d, r, K_PANEL);
    ui_frame(d, r, K_LINE);
    int pad = kv(v, 20);
    ui_text(d, (ui_rect){r.x + pad, r.y + kv(v, 6), r.w / 2, kv(v, 50)},
            TR(k, month ? "每日用餐与补贴" : "各餐次用餐与补贴"), kv(v, 36), K_INK, UI_LEFT, true);
    /* legend */
    int lx = r.x + r.w - pad - kv(v, 520), ly = r.y + kv(v, 16), sq = kv(v, 30);
    ui_rect_fill(d, (ui_rect){lx, ly, sq, sq}, C_MEALS);
    ui_text(d, (ui_rect){lx + sq + kv(v, 10), ly - kv(v, 6), kv(v, 220), kv(v, 42)}, TR(k, "用餐（笔）"), kv(v, 32),
            K_INK, UI_LEFT, false);
    lx += kv(v, 260);
    ui_rect_fill(d, (ui_rect){lx, ly, sq, sq}, C_SUBSIDY);
    ui_text(d, (ui_rect){lx + sq + kv(v, 10), ly - kv(v, 6), kv(v, 220), kv(v, 42)}, TR(k, "补贴（元）"), kv(v, 32),
            K_INK, UI_LEFT, false);
    if (n == 0 || rep->total.meals == 0) {
        ui_text(d, (ui_rect){r.x, r.y + kv(v, 60), r.w, r.h - kv(v, 60)}, TR(k, "没有交易"), kv(v, 40), K_MUTED,
                UI_CENTER, false);
        return;
    }
    long max_meals = 1;
    zc_fen max_sub = 1;
    for (int i = 0; i < n; i++) {
        if (rows[i].meals > max_meals)
            max_meals = rows[i].meals;
        if (rows[i].subsidy > max_sub)
            max_sub = rows[i].subsidy;
    }
    /* plot area: values above, labels below */
    int label_h = kv(v, 44), value_h = month ? 0 : kv(v, 40);
    ui_rect p = {r.x + pad, r.y + kv(v, 64) + value_h, r.w - 2 * pad, r.h - kv(v, 64) - value_h - label_h - pad};
    int gw = p.w / n, bw = gw * 2 / 5, base = p.y + p.h;
    if (bw > kv(v, 150))
        bw = kv(v, 150); /* a day's two or three periods: bars, not walls */
    ui_rect_fill(d, (ui_rect){p.x, base, p.w, kv(v, 2) > 1 ? kv(v, 2) : 1}, C_AXIS);
    for (int i = 0; i < n; i++) {
        int gx = p.x + i * gw + (gw - 2 * bw) / 2;
        int hm = (int)((int64_t)p.h * rows[i].meals / max_meals);
        int hs = (int)((int64_t)p.h * rows[i].subsidy / max_sub);
        if (hm)
            ui_rect_fill(d, (ui_rect){gx, base - hm, bw, hm}, C_MEALS);
        if (hs)
            ui_rect_fill(d, (ui_rect){gx + bw, base - hs, bw, hs}, C_SUBSIDY);
        if (!month) {
            snprintf(buf, sizeof buf, "%ld", rows[i].meals);
            ui_text(d, (ui_rect){gx - kv(v, 20), base - hm - value_h, bw + kv(v, 40), value_h}, buf, kv(v, 32),
                    K_INK, UI_CENTER, true);
            ui_text(d, (ui_rect){gx + bw - kv(v, 30), base - hs - value_h, bw + kv(v, 60), value_h},
                    k_yuan(rows[i].subsidy, a, sizeof a), kv(v, 32), C_SUBSIDY, UI_CENTER, true);
            ui_text(d, (ui_rect){p.x + i * gw, base + kv(v, 4), gw, label_h}, k_period_name(k, rows[i].key),
                    kv(v, 36), K_INK, UI_CENTER, true);
        } else {
            zc_date dd;
            bool weekend = zc_date_parse(rows[i].key, &dd) == ZC_OK && zc_weekday(dd) >= 6;
            ui_text(d, (ui_rect){p.x + i * gw, base + kv(v, 4), gw, label_h}, rows[i].key + 8, kv(v, 28),
                    weekend ? K_DANGER : K_INK, UI_CENTER, false);
        }
    }
    if (month) {
        /* the scales, since a month has no room for values on the bars */
        snprintf(buf, sizeof buf, "%s %ld %s   %s %s %s", TR(k, "最多"), max_meals, TR(k, "笔"), TR(k, "最多"),
                 k_yuan(max_sub, a, sizeof a), TR(k, "元"));
        ui_text(d, (ui_rect){r.x + r.w / 2 - kv(v, 300), r.y + kv(v, 6), kv(v, 560), kv(v, 50)}, buf, kv(v, 30),
                K_MUTED, UI_LEFT, false);
    }
}

static void draw_range(kiosk_t *k, const k_view *v)
{
    const store_report *r = &k->rpt.r;
    char lines[8][160], a[24], b[24];
    int m = kv(v, 60), gap = kv(v, 24), top = kv(v, 310), ph = kv(v, 290), fs = 34;
    int pw = (v->w - 2 * m - 2 * gap) / 3, n = 0;
    if (!k->rpt.have_r)
        return;
    snprintf(lines[n++], 160, "%s %ld %s   %s %ld %s", TR(k, "用餐"), r->total.meals, TR(k, "笔"), TR(k, "作废"),
             r->total.voids, TR(k, "笔"));
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "合计"), k_yuan(r->total.gross, a, sizeof a), TR(k, "元"));
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "补贴"), k_yuan(r->total.subsidy, a, sizeof a), TR(k, "元"));
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "现金"), k_yuan(r->total.cash, a, sizeof a), TR(k, "元"));
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "移动支付"), k_yuan(r->total.mobile, a, sizeof a), TR(k, "元"));
    panel(v, (ui_rect){m, top, pw, ph}, TR(k, "合计"), lines, n, fs);

    n = 0;
    for (int i = 0; i < r->nperiod && n + 1 < 8; i++) {
        const store_report_row *p = &r->by_period[i];
        snprintf(lines[n++], 160, "%s  %ld %s  %s %s", k_period_name(k, p->key), p->meals, TR(k, "笔"), TR(k, "补贴"),
                 k_yuan(p->subsidy, a, sizeof a));
        snprintf(lines[n++], 160, "    %s %s  %s %ld", TR(k, "合计"), k_yuan(p->gross, b, sizeof b), TR(k, "作废"),
                 p->voids);
    }
    if (!n)
        snprintf(lines[n++], 160, "%s", TR(k, "没有交易"));
    panel(v, (ui_rect){m + pw + gap, top, pw, ph}, TR(k, "按餐次"), lines, n, fs);

    /* rules, then sources; what does not fit is in the exported CSV */
    n = 0;
    int room = 6, items = r->nrule + r->nsource;
    for (int i = 0; i < r->nrule && n < room - 1; i++)
        snprintf(lines[n++], 160, "%s %s  %ld %s  %s %s", TR(k, "规则"), r->by_rule[i].key, r->by_rule[i].meals,
                 TR(k, "笔"), k_yuan(r->by_rule[i].subsidy, a, sizeof a), TR(k, "元"));
    for (int i = 0; i < r->nsource && n < room; i++)
        snprintf(lines[n++], 160, "%s %s  %ld %s  %s %s", TR(k, "来源"), k_source_name(k, r->by_source[i].key),
                 r->by_source[i].meals, TR(k, "笔"), k_yuan(r->by_source[i].subsidy, a, sizeof a), TR(k, "元"));
    if (n < items)
        snprintf(lines[room - 1], 160, "%s", TR(k, "……更多见导出文件"));
    if (!items)
        snprintf(lines[n++], 160, "%s", TR(k, "没有补贴"));
    panel(v, (ui_rect){m + 2 * (pw + gap), top, pw, ph}, TR(k, "按补贴规则和资金来源"), lines,
          n < items ? room : n, fs);

    chart(k, v, (ui_rect){m, top + ph + gap, v->w - 2 * m, v->h - kv(v, 160) - (top + ph + gap)});
}

static void draw_shift(kiosk_t *k, const k_view *v)
{
    const store_zreport *z = &k->rpt.z;
    char lines[8][160], a[24], b[24];
    int m = kv(v, 60), gap = kv(v, 24), top = kv(v, 310), ph = v->h - kv(v, 170) - top, fs = 44;
    int pw = (v->w - 2 * m - 2 * gap) / 3, n = 0;
    if (!k->rpt.have_z)
        return;
    snprintf(lines[n++], 160, "%s %ld %s", TR(k, "交易笔数"), z->sales, TR(k, "笔"));
    snprintf(lines[n++], 160, "%s %ld   %s %ld", TR(k, "老人用餐"), z->elders, TR(k, "作废"), z->voids);
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "合计"), k_yuan(z->gross, a, sizeof a), TR(k, "元"));
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "补贴"), k_yuan(z->subsidy, a, sizeof a), TR(k, "元"));
    snprintf(lines[n++], 160, "%s %s %s", TR(k, "实收"), k_yuan(z->pay, a, sizeof a), TR(k, "元"));
    panel(v, (ui_rect){m, top, pw, ph}, TR(k, "交易"), lines, n, fs);
    n = 0;
    snprintf(lines[n++], 160, "%s %s", TR(k, "现金"), k_yuan(z->cash, a, sizeof a));
    snprintf(lines[n++], 160, "%s %s", TR(k, "移动支付"), k_yuan(z->mobile, a, sizeof a));
    snprintf(lines[n++], 160, "%s %s", TR(k, "备用金"), k_yuan(z->shift.float_fen, a, sizeof a));
    snprintf(lines[n++], 160, "%s %s", TR(k, "应有现金"), k_yuan(z->cash_expected, a, sizeof a));
    if (z->shift.closed_utc) {
        zc_fen diff = z->shift.counted_fen - z->cash_expected;
        snprintf(lines[n++], 160, "%s %s", TR(k, "实点现金"), k_yuan(z->shift.counted_fen, a, sizeof a));
        snprintf(lines[n++], 160, "%s %s%s", TR(k, "差额"), diff > 0 ? "+" : "", k_yuan(diff, b, sizeof b));
    } else {
        snprintf(lines[n++], 160, "%s", TR(k, "未交班"));
    }
    panel(v, (ui_rect){m + pw + gap, top, pw, ph}, TR(k, "现金"), lines, n, fs);
    n = 0;
    for (int i = 0; i < z->nsources && n < 8; i++)
        snprintf(lines[n++], 160, "%s  %ld %s  %s", k_source_name(k, z->by_source[i].source), z->by_source[i].parts,
                 TR(k, "笔"), k_yuan(z->by_source[i].fen, a, sizeof a));
    if (!n)
        snprintf(lines[n++], 160, "%s", TR(k, "没有补贴"));
    panel(v, (ui_rect){m + 2 * (pw + gap), top, pw, ph}, TR(k, "补贴来源"), lines, n, fs);
}

/* What the export will write, in words. */
static void export_what(kiosk_t *k, char *buf, size_t n)
{
    const store_report *r = &k->rpt.r;
    if (k->rpt.view == K_RPT_SHIFT)
        snprintf(buf, n, "%s #%lld", TR(k, "交班报表"), (long long)k->rpt.z.shift.id);
    else if (k->rpt.view == K_RPT_MONTH)
        snprintf(buf, n, "%s %.7s：%s", TR(k, "月报"), r->from, TR(k, "汇总表和补贴明细"));
    else
        snprintf(buf, n, "%s %s：%s", TR(k, "日报"), r->from, TR(k, "汇总表和补贴明细"));
}

static void export_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[400];
    int m = kv(v, 60), w = v->w - 2 * m, y = kv(v, 200), row = kv(v, 96), gap = kv(v, 12);
    title(v, TR(k, "导出报表到U盘"));
    export_what(k, buf, sizeof buf);
    ui_text(d, (ui_rect){m, y, w, kv(v, 60)}, buf, kv(v, 40), K_INK, UI_LEFT, true);
    y += kv(v, 70);
    ui_text(d, (ui_rect){m, y, w, kv(v, 50)}, TR(k, "请点选要写入的文件夹："), kv(v, 34), K_MUTED, UI_LEFT, false);
    y += kv(v, 60);
    for (int i = 0; i < k->rpt.ndirs; i++) {
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "%s%d", ID_DIR, i);
        ui_rect t = {m, y + i * (row + gap), w, row};
        if (t.y + t.h > v->h - kv(v, 420))
            break;
        ui_button(d, id, t, k->rpt.dirs[i], kv(v, 40), K_PANEL, K_INK, true);
    }
    if (!k->rpt.ndirs)
        ui_text(d, (ui_rect){m, y, w, row}, TR(k, "没有找到U盘：请插入U盘后点「刷新」，或请管理员设置导出目录 export_dir"),
                kv(v, 36), K_DANGER, UI_LEFT, true);
    /* the result: each file written on its own line, or why not */
    int ry = v->h - kv(v, 400);
    k_draw_message(k, v, (ui_rect){m, ry, w, kv(v, 72)});
    ry += kv(v, 80);
    for (int i = 0; i < k->rpt.nfiles; i++, ry += kv(v, 50))
        ui_text(d, (ui_rect){m + kv(v, 20), ry, w - kv(v, 40), kv(v, 48)}, k->rpt.files[i], kv(v, 32), K_INK, UI_LEFT,
                false);
    if (k->rpt.detail[0])
        ui_text(d, (ui_rect){m + kv(v, 20), ry, w - kv(v, 40), kv(v, 48)}, k->rpt.detail, kv(v, 28), K_MUTED,
                UI_LEFT, false);
    int by = v->h - kv(v, 130), bh = kv(v, 110), bw = kv(v, 400);
    ui_button(d, K_ID_BACK, (ui_rect){m, by, bw, bh}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK, true);
    ui_button(d, ID_RESCAN, (ui_rect){v->w - m - bw, by, bw, bh}, TR(k, "刷新"), kv(v, 48), K_PANEL, K_INK, true);
}

/* ---- the report ---- */

static void report_tap(kiosk_t *k, const char *id)
{
    const char *arg = k_id_arg(id, ID_VIEW);
    if (arg) {
        for (int i = 0; i < (int)(sizeof view_names / sizeof view_names[0]); i++)
            if (strcmp(arg, view_names[i]) == 0) {
                k->rpt.view = (k_rpt_view)i;
                k->msg[0] = '\0';
                load(k);
            }
    } else if (strcmp(id, ID_PREV) == 0) {
        step(k, -1);
    } else if (strcmp(id, K_ID_NEXT) == 0) {
        step(k, +1);
    } else if (strcmp(id, ID_TODAY) == 0) {
        k->rpt.day = k_local_now(k).date;
        k->rpt.shift_i = 0;
        k->msg[0] = '\0';
        load(k);
    } else if (strcmp(id, ID_EXPORT) == 0) {
        k_open(k, K_EXPORT);
    } else if (strcmp(id, K_ID_BACK) == 0) {
        k->msg[0] = '\0';
        if (k->rpt.back == K_SELL)
            k_open(k, K_SELL);
        else
            k_goto(k, k->rpt.back);
    }
}

static void report_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE)
        report_tap(k, K_ID_BACK);
}

static void report_draw(kiosk_t *k, const k_view *v)
{
    int m = kv(v, 60), by = v->h - kv(v, 130), bh = kv(v, 110), bw = kv(v, 400);
    title(v, TR(k, "报表"));
    tabs(k, v);
    nav(k, v);
    if (k->rpt.view == K_RPT_SHIFT)
        draw_shift(k, v);
    else
        draw_range(k, v);
    ui_button(v->d, K_ID_BACK, (ui_rect){m, by, bw, bh}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK, true);
    k_draw_message(k, v, (ui_rect){m + bw + kv(v, 24), by + kv(v, 20), v->w - 2 * m - 2 * bw - kv(v, 48), kv(v, 72)});
    bool can = k->rpt.view == K_RPT_SHIFT ? k->rpt.have_z : k->rpt.have_r;
    ui_button(v->d, ID_EXPORT, (ui_rect){v->w - m - bw, by, bw, bh}, TR(k, "导出到U盘"), kv(v, 48), K_PRIMARY,
              K_PRIMARY_INK, can);
}

const k_screen_def k_report_screen = {
    .name = "report", .enter = report_open, .tap = report_tap, .key = report_key, .draw = report_draw,
};

/* ---- export to a folder ---- */

static void export_enter(kiosk_t *k)
{
    k->rpt.nfiles = 0;
    k->rpt.detail[0] = '\0';
    k->msg[0] = '\0';
    scan_dirs(k);
}

static void export_tap(kiosk_t *k, const char *id)
{
    const char *arg = k_id_arg(id, ID_DIR);
    if (arg && arg[0] >= '0' && arg[0] <= '9' && !arg[1]) {
        export_to(k, arg[0] - '0');
    } else if (strcmp(id, ID_RESCAN) == 0) {
        scan_dirs(k);
        k->msg[0] = '\0';
        k->rpt.nfiles = 0;
        k->rpt.detail[0] = '\0';
    } else if (strcmp(id, K_ID_BACK) == 0) {
        k->msg[0] = '\0';
        k_goto(k, K_REPORT);
    }
}

static void export_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE)
        export_tap(k, K_ID_BACK);
}

const k_screen_def k_export_screen = {
    .name = "export", .enter = export_enter, .tap = export_tap, .key = export_key, .draw = export_draw,
};
