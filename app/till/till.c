/* till.c - identification, carts and quotes on top of the store. */
#include "till.h"

#include <stdlib.h>
#include <string.h>

#define TILL_MAX_USES 256

struct till {
    store_t *st;       /* owned */
    zc_card_fmt fmt;   /* reader format from meta card_format */
    bool have_qr_key;
    unsigned char qr_pk[ZC_QR_PK_BYTES];
    zc_canteen canteen;
};

/* (Re)reads the terminal's settings from meta. */
static int load_settings(till_t *t, zc_err *err)
{
    char buf[128];
    t->fmt = ZC_CARD_HEX10;
    if (store_meta_get(t->st, "card_format", buf, sizeof buf) == ZC_OK &&
        zc_card_fmt_parse(buf, &t->fmt) != ZC_OK)
        return zc_errf(err, ZC_EINVAL,
                       "setting card_format '%s' is not a reader format; use hex10, dec10, dec8 or facility",
                       buf);
    if (store_meta_get(t->st, "tz", buf, sizeof buf) != ZC_OK)
        snprintf(buf, sizeof buf, "Asia/Shanghai");
    int rc = zc_tz_set(buf, err);
    if (rc)
        return rc;
    t->have_qr_key = false;
    if (store_meta_get(t->st, "qr_pubkey", buf, sizeof buf) == ZC_OK && buf[0]) {
        if (zc_hex_decode(buf, t->qr_pk, ZC_QR_PK_BYTES) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "setting qr_pubkey is not 64 hex digits; set it again");
        t->have_qr_key = true;
    }
    if (store_canteen_get(t->st, &t->canteen, NULL) != ZC_OK)
        memset(&t->canteen, 0, sizeof t->canteen);
    return ZC_OK;
}

int till_open(const char *path, int store_flags, till_t **out, zc_err *err)
{
    int rc;
    till_t *t = calloc(1, sizeof *t);
    if (!t)
        return zc_errf(err, ZC_ENOMEM, "out of memory opening the till");
    rc = store_open(path, store_flags, &t->st, err);
    if (rc)
        goto out;
    rc = load_settings(t, err);
    if (rc)
        goto out;
    *out = t;
    t = NULL;
out:
    till_close(t);
    return rc;
}

int till_reload(till_t *t, zc_err *err) { return load_settings(t, err); }

void till_close(till_t *t)
{
    if (!t)
        return;
    store_close(t->st);
    free(t);
}

store_t *till_store(till_t *t) { return t->st; }
const zc_canteen *till_canteen(const till_t *t) { return &t->canteen; }
zc_card_fmt till_card_format(const till_t *t) { return t->fmt; }

static const struct {
    const char *code, *zh, *en;
} status_words[TILL_ID_COUNT] = {
    [TILL_ID_OK] = {"ok", "刷卡成功", "card accepted"},
    [TILL_ID_MALFORMED] = {"malformed", "无法识别，请重新刷卡", "could not read the card; tap again"},
    [TILL_ID_UNKNOWN] = {"unknown", "此卡未登记", "this card is not registered"},
    [TILL_ID_AMBIGUOUS] = {"ambiguous", "卡号重复，请出示身份证", "card number is ambiguous; use the ID card"},
    [TILL_ID_CARD_LOST] = {"card_lost", "此卡已挂失", "this card was reported lost"},
    [TILL_ID_CARD_BLOCKED] = {"card_blocked", "此卡已停用", "this card is blocked"},
    [TILL_ID_CARD_EXPIRED] = {"card_expired", "此卡已过期", "this card has expired"},
    [TILL_ID_CARD_NOT_YET] = {"card_not_yet_valid", "此卡尚未生效", "this card is not valid yet"},
    [TILL_ID_ELDER_SUSPENDED] = {"elder_suspended", "补贴资格已暂停", "subsidy eligibility is suspended"},
    [TILL_ID_ELDER_DECEASED] = {"elder_deceased", "此卡已注销", "this card is closed"},
    [TILL_ID_QR_INVALID] = {"qr_invalid", "二维码无效或已过期", "QR code invalid or expired"},
};

/* What the cashier should do, in words (the modal's second line). */
static const struct {
    const char *zh, *en;
} advice[TILL_ID_COUNT] = {
    [TILL_ID_OK] = {"", ""},
    [TILL_ID_MALFORMED] = {"请重新刷卡；仍不行请用身份证或人工查找", "tap again; if it fails, use the ID card or a look-up"},
    [TILL_ID_UNKNOWN] = {"卡未登记：可人工查找老人，或按原价收费", "not on the roster: look the elder up, or sell at full price"},
    [TILL_ID_AMBIGUOUS] = {"请改用身份证识别", "use the ID card instead"},
    [TILL_ID_CARD_LOST] = {"请收回此卡，请老人到社区补办新卡", "keep the card; the elder should get a new one at the community office"},
    [TILL_ID_CARD_BLOCKED] = {"请收回此卡，请老人联系社区", "keep the card; the elder should contact the community office"},
    [TILL_ID_CARD_EXPIRED] = {"请老人到社区换卡", "the elder needs a new card from the community office"},
    [TILL_ID_CARD_NOT_YET] = {"此卡还未到启用日期", "the card is not valid yet"},
    [TILL_ID_ELDER_SUSPENDED] = {"补贴资格暂停，可按原价用餐", "eligibility is suspended; the elder may eat at full price"},
    [TILL_ID_ELDER_DECEASED] = {"请收回此卡并联系社区", "keep the card and call the community office"},
    [TILL_ID_QR_INVALID] = {"请老人出示最新的二维码或实体卡", "ask for a current QR code or the card"},
};

const char *till_status_advice(till_status s, const char *lang)
{
    if ((int)s < 0 || s >= TILL_ID_COUNT)
        return "";
    return lang && strcmp(lang, "en") == 0 ? advice[s].en : advice[s].zh;
}

const char *till_status_text(till_status s, const char *lang)
{
    if ((int)s < 0 || s >= TILL_ID_COUNT)
        return "?";
    return lang && strcmp(lang, "en") == 0 ? status_words[s].en : status_words[s].zh;
}

const char *till_status_code(till_status s)
{
    if ((int)s < 0 || s >= TILL_ID_COUNT)
        return "?";
    return status_words[s].code;
}

/* Fills the elder and checks the person's status. */
static int check_elder(till_t *t, const char *elder_id, till_ident *out, zc_err *err)
{
    int rc = store_elder_get(t->st, elder_id, &out->elder, err);
    if (rc == ZC_ENOTFOUND) {
        out->status = TILL_ID_UNKNOWN;
        return zc_errf(err, ZC_ENOTFOUND, "elder %s is not on this terminal's roster", elder_id);
    }
    if (rc)
        return rc;
    out->have_elder = true;
    if (out->elder.status == ZC_ELDER_SUSPENDED) {
        out->status = TILL_ID_ELDER_SUSPENDED;
        return zc_errf(err, ZC_EREFUSED, "elder %s is suspended from the subsidy; sell at full price or cancel",
                       elder_id);
    }
    if (out->elder.status == ZC_ELDER_DECEASED) {
        out->status = TILL_ID_ELDER_DECEASED;
        return zc_errf(err, ZC_EREFUSED, "elder %s is recorded as deceased; keep the card and call the office",
                       elder_id);
    }
    out->status = TILL_ID_OK;
    return ZC_OK;
}

static int identify_card(till_t *t, const char *line, zc_date today, till_ident *out, zc_err *err)
{
    zc_card_key key;
    store_card card;
    int rc = zc_card_parse(line, t->fmt, &key, err);
    if (rc) {
        out->status = TILL_ID_MALFORMED;
        return rc;
    }
    rc = store_card_find(t->st, &key, &card, err);
    if (rc == ZC_ENOTFOUND) {
        out->status = TILL_ID_UNKNOWN;
        return zc_errf(err, ZC_ENOTFOUND, "card %s is not registered; check the card or look the elder up by ID",
                       line);
    }
    if (rc == ZC_ECONFLICT)
        out->status = TILL_ID_AMBIGUOUS;
    if (rc)
        return rc;
    zc_card_uid_fmt(card.uid, out->card_uid, sizeof out->card_uid);
    if (card.status == STORE_CARD_LOST || card.status == STORE_CARD_BLOCKED) {
        out->status = card.status == STORE_CARD_LOST ? TILL_ID_CARD_LOST : TILL_ID_CARD_BLOCKED;
        rc = zc_errf(err, ZC_EREFUSED, "card %s is %s; keep it and ask the elder to contact the community office",
                     out->card_uid, card.status == STORE_CARD_LOST ? "reported lost" : "blocked");
    } else if (zc_date_is_set(card.valid_to) && zc_date_cmp(today, card.valid_to) > 0) {
        char d[11];
        out->status = TILL_ID_CARD_EXPIRED;
        rc = zc_errf(err, ZC_EREFUSED, "card %s expired on %s; the elder needs a new card", out->card_uid,
                     zc_date_fmt(card.valid_to, d, sizeof d));
    } else if (zc_date_is_set(card.valid_from) && zc_date_cmp(today, card.valid_from) < 0) {
        char d[11];
        out->status = TILL_ID_CARD_NOT_YET;
        rc = zc_errf(err, ZC_EREFUSED, "card %s is valid only from %s", out->card_uid,
                     zc_date_fmt(card.valid_from, d, sizeof d));
    }
    if (rc) {
        /* still say whose card it is, so the cashier can help */
        if (store_elder_get(t->st, card.elder_id, &out->elder, NULL) == ZC_OK)
            out->have_elder = true;
        return rc;
    }
    return check_elder(t, card.elder_id, out, err);
}

int till_identify(till_t *t, const char *raw, zc_date today, till_ident *out, zc_err *err)
{
    int rc;
    char line[ZC_INPUT_MAX + 1];
    size_t n;
    memset(out, 0, sizeof *out);
    if (!raw || (n = strnlen(raw, ZC_INPUT_MAX + 1)) > ZC_INPUT_MAX) {
        out->status = TILL_ID_MALFORMED;
        return zc_errf(err, ZC_ETOOBIG, "reader input longer than %d characters; tap again", ZC_INPUT_MAX);
    }
    /* readers may add spaces or CR/LF around the line */
    while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t' || raw[n - 1] == '\r' || raw[n - 1] == '\n'))
        n--;
    while (n && (*raw == ' ' || *raw == '\t')) {
        raw++;
        n--;
    }
    memcpy(line, raw, n);
    line[n] = '\0';
    out->kind = zc_input_classify(line);
    switch (out->kind) {
    case ZC_INPUT_CARD:
        return identify_card(t, line, today, out, err);
    case ZC_INPUT_IDNUM:
        rc = zc_idnum_check(line, err);
        if (rc) {
            out->status = TILL_ID_MALFORMED;
            return rc;
        }
        rc = store_elder_by_idnum(t->st, line, &out->elder, err);
        if (rc == ZC_ENOTFOUND) {
            out->status = TILL_ID_UNKNOWN;
            return zc_errf(err, ZC_ENOTFOUND, "no elder with this ID number is on the roster");
        }
        if (rc)
            return rc;
        return check_elder(t, out->elder.id, out, err);
    case ZC_INPUT_QR: {
        zc_qr qr;
        if (!t->have_qr_key) {
            out->status = TILL_ID_QR_INVALID;
            return zc_errf(err, ZC_EREFUSED,
                           "this terminal has no QR key (setting qr_pubkey); QR codes cannot be checked");
        }
        rc = zc_qr_verify(t->qr_pk, line, today, &qr, err);
        if (rc) {
            out->status = TILL_ID_QR_INVALID;
            return rc;
        }
        return check_elder(t, qr.elder_id, out, err);
    }
    }
    out->status = TILL_ID_MALFORMED;
    return zc_errf(err, ZC_EINVAL, "unrecognised reader input");
}

/* Parses one "CODE" or "CODExQTY" token (len bytes at s). */
static int parse_token(till_t *t, const char *s, size_t len, zc_cart *cart, zc_err *err)
{
    char tok[ZC_ID_MAX + 8];
    char *x, *end;
    long qty = 1;
    store_item it;
    zc_line line;
    int rc;

    if (len == 0)
        return zc_errf(err, ZC_EINVAL, "empty item in --items; write CODE[xQTY] separated by commas");
    if (len >= sizeof tok)
        return zc_errf(err, ZC_EINVAL, "item '%.*s' is too long", (int)(len > 40 ? 40 : len), s);
    memcpy(tok, s, len);
    tok[len] = '\0';
    x = strrchr(tok, 'x');
    if (x && x != tok && x[1]) {
        qty = strtol(x + 1, &end, 10);
        if (*end || qty < 1 || qty > 99)
            return zc_errf(err, ZC_EINVAL, "item '%s': quantity must be 1 to 99", tok);
        *x = '\0';
    }
    rc = store_item_get(t->st, tok, &it, err);
    if (rc == ZC_ENOTFOUND)
        return zc_errf(err, ZC_EINVAL, "item code '%s' is not on the menu", tok);
    if (rc)
        return rc;
    if (!it.active)
        return zc_errf(err, ZC_EINVAL, "item '%s' (%s) is not sold at the moment", tok, it.name);
    if (it.sold_out)
        return zc_errf(err, ZC_EINVAL, "item '%s' (%s) is sold out today", tok, it.name);
    memset(&line, 0, sizeof line);
    snprintf(line.code, sizeof line.code, "%s", it.code);
    snprintf(line.name, sizeof line.name, "%s", it.name);
    line.unit_fen = it.price_fen;
    line.qty = (int)qty;
    line.eligible = it.eligible;
    rc = zc_cart_add(cart, &line);
    if (rc)
        return zc_errf(err, rc, "the cart is full (%d lines)", ZC_MAX_LINES);
    return ZC_OK;
}

int till_cart_parse(till_t *t, const char *spec, zc_cart *cart, zc_err *err)
{
    const char *p = spec;
    memset(cart, 0, sizeof *cart);
    if (!spec || !*spec)
        return zc_errf(err, ZC_EINVAL, "no items given; write --items CODE[xQTY],...");
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int rc = parse_token(t, p, len, cart, err);
        if (rc)
            return rc;
        if (!comma)
            break;
        p = comma + 1;
    }
    return ZC_OK;
}

int till_quote(till_t *t, const till_quote_req *req, zc_quote *q, zc_err *err)
{
    const zc_policy *pol = NULL; /* borrowed from the store's cache: no parse per quote */
    const zc_calendar *cal = NULL; /* likewise; NULL when none is stored */
    const zc_use *extra = req->extra;
    zc_use *uses = NULL;
    int nextra = req->nextra, nuses = 0, rc;

    if (nextra > TILL_MAX_USES / 2) /* the centre's answer is bounded; keep room for local uses */
        nextra = TILL_MAX_USES / 2;

    rc = store_policy_cached(t->st, req->at.date, &pol, err);
    if (!rc)
        rc = store_calendar_cached(t->st, &cal, err);
    if (rc)
        goto out;
    if (req->elder) {
        uses = calloc(TILL_MAX_USES, sizeof *uses);
        if (!uses) {
            rc = zc_errf(err, ZC_ENOMEM, "out of memory loading usage");
            goto out;
        }
        rc = store_usage_load(t->st, req->elder->id, req->at.date, uses,
                              TILL_MAX_USES - (extra ? nextra : 0), &nuses, err);
        if (rc)
            goto out;
        for (int i = 0; extra && i < nextra && nuses < TILL_MAX_USES; i++)
            uses[nuses++] = extra[i];
    }
    zc_quote_in in = {
        .policy = pol, .elder = req->elder, .canteen = &t->canteen, .cart = req->cart,
        .at = req->at, .period = req->period, .uses = uses, .nuses = nuses, .calendar = cal,
    };
    rc = zc_quote_compute(&in, q, err);
out:
    free(uses);
    return rc;
}

int till_sale(till_t *t, const till_sale_req *req, till_sale_res *res, zc_err *err)
{
    const till_quote_req *q = &req->quote;
    store_sale_req s = {
        .operator_id = req->operator_id, .elder = q->elder, .card_uid = req->card_uid,
        .cart = q->cart, .at_utc = req->at_utc, .at = q->at, .period = q->period,
        .pay = req->pay, .pay_ref = req->pay_ref, .tendered_fen = req->tendered_fen,
        .extra_uses = q->extra, .nextra = q->nextra,
    };
    return store_sale_commit(t->st, &s, res, err);
}

int till_void(till_t *t, const till_void_req *req, zc_err *err)
{
    return store_sale_void(t->st, req->sale_id, req->operator_id, req->reason, err);
}
