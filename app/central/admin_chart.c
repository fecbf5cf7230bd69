/* admin_chart.c - the month's meals and subsidy per day as inline SVG bar
 * charts (admin_html.h).
 *
 * Two charts side by side rather than one with two scales: meals and yuan
 * are different quantities and a second axis is easy to misread.  The
 * y axis ends at a round number (1, 2 or 5 times a power of ten) with four
 * or five grid lines; weekends are labelled in red because many canteens
 * close then.  Every bar has a <title> (the exact value on hover), and a
 * table of the same numbers follows in a <details> for reading or copying. */
#include <cjson/cJSON.h>
#include <string.h>

#include "../core/civil.h"
#include "../core/money.h"
#include "admin_html.h"

#define DAYS_MAX 31
#define VIEW_W 640
#define VIEW_H 250
#define LEFT 58   /* room for the y labels */
#define RIGHT 10
#define TOP 14
#define BOTTOM 30 /* room for the day numbers */

typedef struct day {
    zc_date date;
    int64_t meals;
    int64_t subsidy_fen;
} day;

/* A round top for an axis whose largest value is max (>= 1), and how many
 * grid steps divide it into whole numbers. */
static void nice_axis(int64_t max, int64_t *top, int *steps)
{
    static const struct {
        int mult, steps;
    } round_[] = {{1, 5}, {2, 4}, {5, 5}, {10, 5}};
    int64_t p = 1;
    if (max < 1)
        max = 1;
    while (p * 10 < max)
        p *= 10;
    for (size_t i = 0; i < sizeof round_ / sizeof round_[0]; i++) {
        if (round_[i].mult * p >= max) {
            *top = round_[i].mult * p;
            *steps = round_[i].steps;
            break;
        }
    }
    while (*steps > 1 && *top % *steps)
        (*steps)--;
}

/* One chart: value(d) in units of `unit` (1 for meals, 100 fen per yuan). */
static void bars(central_html *h, const day *d, int n, bool subsidy, const char *caption,
                 const char *color)
{
    static const char *const weekday[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    int64_t max = 0, total = 0, top = 1;
    int steps = 1;
    for (int i = 0; i < n; i++) {
        int64_t v = subsidy ? d[i].subsidy_fen : d[i].meals;
        max = v > max ? v : max;
        total += v;
    }
    /* the subsidy axis counts whole yuan */
    nice_axis(subsidy ? (max + 99) / 100 : max, &top, &steps);
    int64_t top_units = subsidy ? top * 100 : top;
    const int plot_w = VIEW_W - LEFT - RIGHT, plot_h = VIEW_H - TOP - BOTTOM;
    char buf[32];
    central_html_printf(h, "<figure><figcaption>%s <small class=\"muted\">（本月合计 ", caption);
    if (subsidy)
        central_html_printf(h, "%s 元", zc_fen_fmt(total, buf, sizeof buf));
    else
        central_html_printf(h, "%lld 人次", (long long)total);
    central_html_printf(h, "）</small></figcaption><svg viewBox=\"0 0 %d %d\" role=\"img\" "
                        "aria-label=\"%s\">", VIEW_W, VIEW_H, caption);
    for (int s = 0; s <= steps; s++) {
        int y = TOP + plot_h - (int)((int64_t)plot_h * s / steps);
        central_html_printf(h, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>"
                            "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" "
                            "fill=\"#56606b\">%lld</text>",
                            LEFT, y, VIEW_W - RIGHT, y, s ? "#e3e7eb" : "#9aa5b1", LEFT - 6, y + 4,
                            (long long)(top * s / steps));
    }
    central_html_printf(h, "<text x=\"4\" y=\"%d\" font-size=\"12\" fill=\"#56606b\">%s</text>",
                        TOP - 2, subsidy ? "元" : "人次");
    for (int i = 0; i < n && n > 0; i++) {
        int64_t v = subsidy ? d[i].subsidy_fen : d[i].meals;
        int slot_x = LEFT + plot_w * i / n, slot_w = plot_w / n;
        int bh = (int)(v * plot_h / top_units);
        int wd = zc_weekday(d[i].date);
        if (v > 0 && bh < 1)
            bh = 1; /* a day with sales never looks empty */
        central_html_printf(h, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                            "<title>%d月%d日 %s：", slot_x + slot_w / 6, TOP + plot_h - bh,
                            slot_w - slot_w / 3, bh, color, d[i].date.m, d[i].date.d,
                            wd >= 1 && wd <= 7 ? weekday[wd] : "");
        if (subsidy)
            central_html_printf(h, "补贴 %s 元", zc_fen_fmt(v, buf, sizeof buf));
        else
            central_html_printf(h, "%lld 人次", (long long)v);
        central_html_printf(h, "</title></rect><text x=\"%d\" y=\"%d\" font-size=\"11\" "
                            "text-anchor=\"middle\" fill=\"%s\">%d</text>",
                            slot_x + slot_w / 2, VIEW_H - BOTTOM + 16, wd >= 6 ? "#b42318" : "#56606b",
                            d[i].date.d);
    }
    if (total == 0)
        central_html_printf(h, "<text x=\"%d\" y=\"%d\" font-size=\"16\" text-anchor=\"middle\" "
                            "fill=\"#56606b\">本月尚无数据</text>", LEFT + plot_w / 2,
                            TOP + plot_h / 2);
    central_html_raw(h, "</svg></figure>");
}

void central_admin_chart(central_html *h, const cJSON *days)
{
    day d[DAYS_MAX];
    int n = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, days)
    {
        const cJSON *date = cJSON_GetObjectItemCaseSensitive(x, "date");
        const cJSON *meals = cJSON_GetObjectItemCaseSensitive(x, "meals");
        const cJSON *fen = cJSON_GetObjectItemCaseSensitive(x, "subsidy_fen");
        if (n >= DAYS_MAX || !cJSON_IsString(date) ||
            zc_date_parse(date->valuestring, &d[n].date) != ZC_OK)
            continue; /* a month has at most 31 dates; anything else is not a day */
        d[n].meals = cJSON_IsNumber(meals) ? (int64_t)meals->valuedouble : 0;
        d[n].subsidy_fen = cJSON_IsNumber(fen) ? (int64_t)fen->valuedouble : 0;
        n++;
    }
    central_html_raw(h, "<h3>每日用餐与补贴</h3><div class=\"charts\">");
    bars(h, d, n, false, "每日用餐人次", "#2f6db5");
    bars(h, d, n, true, "每日补贴金额（元）", "#d9822b");
    central_html_raw(h, "</div><details><summary>按日明细</summary><div class=\"wrap\"><table>"
                        "<thead><tr><th>日期</th><th class=\"n\">用餐人次</th>"
                        "<th class=\"n\">补贴（元）</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        char buf[32], date[16];
        central_html_printf(h, "<tr><td>%s</td><td class=\"n\">%lld</td><td class=\"n\">%s</td></tr>",
                            zc_date_fmt(d[i].date, date, sizeof date), (long long)d[i].meals,
                            zc_fen_fmt(d[i].subsidy_fen, buf, sizeof buf));
    }
    central_html_raw(h, "</tbody></table></div></details>");
}
