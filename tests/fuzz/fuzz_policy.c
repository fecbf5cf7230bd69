/* fuzz_policy.c - libFuzzer target: the policy JSON parser (zc_policy_parse).
 *
 * A policy that parses is then used the way the till uses one: its periods
 * looked up at every minute of the day and a quote computed for a sample
 * elder, dine-in and then delivered with a fee line, so a policy the
 * parser accepts can never crash the engine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/core/policy.h"
#include "../../app/core/subsidy.h"

/* Quotes a two-line lunch for an 80-year-old on 低保 with a grade-2
 * disability, at a canteen in their home district, with a use earlier
 * today and one earlier this week; the money must add up. */
static void quote(const zc_policy *p)
{
    zc_elder e;
    zc_canteen k;
    zc_cart cart;
    zc_use uses[2];
    zc_quote q;
    zc_err err;
    memset(&e, 0, sizeof e);
    memset(&k, 0, sizeof k);
    memset(&cart, 0, sizeof cart);
    memset(uses, 0, sizeof uses);
    snprintf(e.id, sizeof e.id, "E0000001");
    e.birth = (zc_date){1946, 3, 15};
    snprintf(e.reg_city, sizeof e.reg_city, "110000");
    snprintf(e.reg_district, sizeof e.reg_district, "110105");
    snprintf(e.res_district, sizeof e.res_district, "110105");
    if (zc_cats_parse("dibao;disabled_care:2", e.cats, ZC_MAX_CATS, &e.ncats, &err) != ZC_OK)
        abort();
    e.disability_grade = 2;
    e.status = ZC_ELDER_ACTIVE;
    snprintf(k.id, sizeof k.id, "C-0001");
    snprintf(k.city, sizeof k.city, "110000");
    snprintf(k.district, sizeof k.district, "110105");
    cart.n = 2;
    cart.lines[0] = (zc_line){"A1", "set meal", 1500, 1, true, ZC_LINE_DISH};
    cart.lines[1] = (zc_line){"D1", "soup", 300, 2, false, ZC_LINE_DISH};
    uses[0].date = (zc_date){2026, 11, 23};
    snprintf(uses[0].period, sizeof uses[0].period, "breakfast");
    uses[0].fen = 300;
    uses[1].date = (zc_date){2026, 11, 20};
    snprintf(uses[1].period, sizeof uses[1].period, "lunch");
    uses[1].fen = 500;
    for (int i = 0; i < 2; i++) /* keys are rule ids: take the policy's own period ids */
        snprintf(uses[i].key, sizeof uses[i].key, "%s",
                 zc_policy_nperiods(p) ? zc_policy_period(p, 0)->id : "x");
    zc_quote_in in = {p, &e, &k, &cart, {{2026, 11, 23}, 11, 30}, NULL, uses, 2, NULL, false};
    if (zc_quote_compute(&in, &q, &err) != ZC_OK)
        abort();
    if (q.gross != 2100 || q.pay < 0 || q.subsidy < 0 || q.pay + q.subsidy != q.gross)
        abort();
    /* the same meal delivered on a public holiday, with a delivery fee */
    cart.n = 3;
    cart.lines[2] = (zc_line){"FEE", "delivery", 500, 1, false, ZC_LINE_DELIVERY_FEE};
    in.delivered = true;
    in.at.date = (zc_date){2026, 10, 1};
    if (zc_quote_compute(&in, &q, &err) != ZC_OK)
        abort();
    if (q.gross != 2600 || q.eligible != 1500 || q.pay < 0 || q.subsidy < 0 ||
        q.pay + q.subsidy != q.gross)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zc_policy *p = NULL;
    zc_err err;
    if (zc_policy_parse((const char *)data, size, &p, &err) != ZC_OK) {
        if (p || !err.msg[0]) /* a refusal always says why and returns nothing */
            abort();
        return 0;
    }
    for (int m = 0; m < 24 * 60; m += 7) {
        const zc_period *per = zc_policy_period_at(p, m);
        if (per && zc_policy_period_by_id(p, per->id) == NULL)
            abort();
    }
    quote(p);
    zc_policy_free(p);
    return 0;
}
