/* creport_empty.c - TEMPORARY: the reports of creport.h for a centre
 * without sales, so that the admin page builds and its sign-in can be tested
 * before branch `creport` lands.  Deleted when that branch is merged. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/civil.h"
#include "creport.h"

static int month_ok(const char *month, zc_date *first, zc_err *err)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%.7s-01", month ? month : "");
    if (!month || strlen(month) != 7 || zc_date_parse(buf, first) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "the month must be YYYY-MM, not \"%s\"", month ? month : "");
    return ZC_OK;
}

int central_report_settlement(central_store *st, const char *month, const char *canteen,
                              bool with_ledger, cJSON *out, zc_err *err)
{
    zc_date d;
    (void)st;
    (void)with_ledger;
    int ret = month_ok(month, &d, err);
    if (ret)
        return ret;
    cJSON_AddStringToObject(out, "month", month);
    if (canteen)
        cJSON_AddStringToObject(out, "canteen", canteen);
    else
        cJSON_AddNullToObject(out, "canteen");
    cJSON_AddArrayToObject(out, "canteens");
    cJSON *t = cJSON_AddObjectToObject(out, "totals");
    static const char *const zero[] = {"meals", "gross_fen", "subsidy_fen", "pay_fen", "voids"};
    for (size_t i = 0; t && i < sizeof zero / sizeof zero[0]; i++)
        cJSON_AddNumberToObject(t, zero[i], 0);
    cJSON_AddArrayToObject(t, "sources");
    cJSON *days = cJSON_AddArrayToObject(out, "days");
    for (int i = 1; days && i <= zc_days_in_month(d.y, d.m); i++) {
        char date[32];
        cJSON *day = cJSON_CreateObject();
        snprintf(date, sizeof date, "%04d-%02d-%02d", d.y % 10000, d.m, i);
        cJSON_AddStringToObject(day, "date", date);
        cJSON_AddNumberToObject(day, "meals", 0);
        cJSON_AddNumberToObject(day, "subsidy_fen", 0);
        cJSON_AddItemToArray(days, day);
    }
    return ZC_OK;
}

int central_report_reconcile(central_store *st, const char *month, cJSON *out, zc_err *err)
{
    zc_date d;
    (void)st;
    int ret = month_ok(month, &d, err);
    if (ret)
        return ret;
    cJSON_AddStringToObject(out, "month", month);
    cJSON_AddArrayToObject(out, "terminals");
    cJSON_AddNumberToObject(out, "problems", 0);
    return ZC_OK;
}

int central_report_anomalies(central_store *st, const char *month, cJSON *out, zc_err *err)
{
    static const char *const kinds[] = {"over_limit", "card_two_canteens", "outside_window",
                                        "requote_differs", "void_rate"};
    zc_date d;
    (void)st;
    int ret = month_ok(month, &d, err);
    if (ret)
        return ret;
    cJSON_AddStringToObject(out, "month", month);
    cJSON_AddArrayToObject(out, "anomalies");
    cJSON *counts = cJSON_AddObjectToObject(out, "counts");
    for (size_t i = 0; counts && i < sizeof kinds / sizeof kinds[0]; i++)
        cJSON_AddNumberToObject(counts, kinds[i], 0);
    return ZC_OK;
}
