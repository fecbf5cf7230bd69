/* kiosk_admin.c - login and PIN, shifts, recent sales and voids, manual
 * look-up and settings: everything around selling.
 *
 * Actions that need a supervisor (a void, a manual look-up) go through the
 * same PIN pad: k_auth_begin shows only supervisors and admins, and the
 * approved action runs with the approver's id in the audit log. */
#include <stdlib.h>
#include <string.h>

#include "../store/backup.h"
#include "kiosk_int.h"

static void load_lists(kiosk_t *k)
{
    zc_err err = {{0}};
    if (store_operator_list(till_store(k->t), k->ops, K_MAX_OPS, &k->nops, &err) != ZC_OK) {
        k->nops = 0;
        k_message(k, true, "%s", err.msg);
    }
    if (store_item_list(till_store(k->t), k->menu, K_MAX_ITEMS, &k->nmenu, &err) != ZC_OK) {
        k->nmenu = 0;
        k_message(k, true, "%s", err.msg);
    }
    /* categories in menu order */
    k->ncats = 0;
    for (int i = 0; i < k->nmenu; i++) {
        bool seen = false;
        for (int c = 0; c < k->ncats; c++)
            seen |= strcmp(k->cats[c], k->menu[i].category) == 0;
        if (!seen && k->ncats < K_MAX_CATS) {
            size_t n = strnlen(k->menu[i].category, ZC_CODE_MAX - 1);
            memcpy(k->cats[k->ncats], k->menu[i].category, n);
            k->cats[k->ncats++][n] = '\0';
        }
    }
    k->cat = 0;
}

void k_admin_start(kiosk_t *k)
{
    load_lists(k);
    k->logged_in = false;
    k->auth = K_AUTH_LOGIN;
    k_goto(k, K_LOGIN);
}

void k_auth_begin(kiosk_t *k, k_auth what, k_screen back)
{
    k->auth = what;
    k->auth_back = back;
    k->pin[0] = '\0';
    k_goto(k, K_LOGIN);
    k_message(k, false, "%s", TR(k, "需要主管输入密码"));
}

static const store_operator *find_op(const kiosk_t *k, const char *id)
{
    for (int i = 0; i < k->nops; i++)
        if (strcmp(k->ops[i].id, id) == 0)
            return &k->ops[i];
    return NULL;
}

/* After a correct PIN. */
static void authorised(kiosk_t *k, const store_operator *op)
{
    zc_err err = {{0}};
    if (k->auth == K_AUTH_LOGIN) {
        k->op = *op;
        k->logged_in = true;
        k->msg[0] = '\0';
        k->have_shift = store_shift_current(till_store(k->t), &k->shift, &err) == ZC_OK;
        if (k->have_shift) {
            k_sell_enter(k);
        } else {
            k_goto(k, K_SHIFT_OPEN);
        }
        return;
    }
    if (op->role == STORE_ROLE_CASHIER) {
        k_message(k, true, "%s", TR(k, "需要主管或管理员授权"));
        k->pin[0] = '\0';
        return;
    }
    snprintf(k->auth_by, sizeof k->auth_by, "%s", op->id);
    k->msg[0] = '\0';
    if (k->auth == K_AUTH_LOOKUP) {
        k->text[0] = '\0';
        k->nfound = 0;
        k_goto(k, K_LOOKUP);
    } else if (k->auth == K_AUTH_REPORT) {
        k->auth = K_AUTH_LOGIN;
        k_report_enter(k, k->auth_back);
    } else if (k->auth == K_AUTH_CLOSE) {
        k->auth = K_AUTH_LOGIN;
        k_goto(k, K_SHIFT_CLOSE);
    } else {
        k_goto(k, K_VOID_REASON);
    }
}

static void pin_submit(kiosk_t *k)
{
    zc_err err = {{0}};
    store_operator op;
    int rc = store_operator_login(till_store(k->t), k->pin_op, k->pin, k_epoch_now(k), &op, &err);
    k->pin[0] = '\0';
    if (rc == ZC_OK) {
        authorised(k, &op);
        return;
    }
    k_say(k, "tone_error");
    k_message(k, true, "%s", rc == ZC_EREFUSED ? TR(k, "密码错误，请重试") : err.msg);
}

static void pin_key(kiosk_t *k, const char *key)
{
    size_t n = strlen(k->pin);
    if (strcmp(key, "back") == 0) {
        if (n)
            k->pin[n - 1] = '\0';
    } else if (strcmp(key, "clear") == 0) {
        k->pin[0] = '\0';
    } else if (key[0] >= '0' && key[0] <= '9' && !key[1] && n < 8) {
        k->pin[n] = key[0];
        k->pin[n + 1] = '\0';
    }
}

static void cancel_auth(kiosk_t *k)
{
    k->msg[0] = '\0';
    if (k->auth == K_AUTH_LOGIN) {
        k_goto(k, K_LOGIN);
    } else {
        k->auth = K_AUTH_LOGIN;
        k_goto(k, k->auth_back);
    }
}

static void load_recent(kiosk_t *k)
{
    zc_err err = {{0}};
    if (store_sale_recent(till_store(k->t), k->recent, K_MAX_RECENT, &k->nrecent, &err) != ZC_OK) {
        k->nrecent = 0;
        k_message(k, true, "%s", err.msg);
    }
    k->sel_id[0] = '\0';
}

static void lookup_run(kiosk_t *k)
{
    zc_err err = {{0}};
    if (strlen(k->text) < 2) {
        k_message(k, true, "%s", TR(k, "请至少输入两个字符"));
        return;
    }
    if (store_elder_search(till_store(k->t), k->text, k->found, K_MAX_FOUND, &k->nfound, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return;
    }
    if (!k->nfound)
        k_message(k, true, "%s", TR(k, "没有找到，请换一种方式查找"));
    else
        k->msg[0] = '\0';
}

static void lookup_pick(kiosk_t *k, int i)
{
    zc_err err = {{0}};
    char detail[400];
    if (i < 0 || i >= k->nfound)
        return;
    snprintf(detail, sizeof detail, "query=%s by=%s", k->text, k->auth_by);
    if (store_audit(till_store(k->t), k->op.id, "manual_lookup", k->found[i].id, detail, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg); /* unaudited look-ups are not allowed */
        return;
    }
    k->auth = K_AUTH_LOGIN;
    k_goto(k, K_SELL);
    k_select_elder(k, &k->found[i], "人工查找");
}

static const char *const void_reasons[] = {"点错菜品", "重复结账", "老人退餐", "金额有误"};

static void void_run(kiosk_t *k, int r)
{
    zc_err err = {{0}};
    if (!k->sel_id[0] || r < 0 || r >= 4)
        return;
    till_void_req req = {.sale_id = k->sel_id, .operator_id = k->auth_by, .reason = void_reasons[r]};
    if (till_void(k->t, &req, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
    } else {
        k_message(k, false, "%s", TR(k, "已作废，补贴次数已退回"));
        k_status_refresh(k, true); /* the void waits in the outbox too */
    }
    k->auth = K_AUTH_LOGIN;
    k_goto(k, K_RECENT);
    load_recent(k);
}

const k_setting k_settings[] = {
    {"terminal_id", "终端编号", true}, {"canteen_id", "食堂编号", true}, {"server_url", "服务器地址", true},
    {"card_format", "读卡格式", false}, {"printer", "打印机", true},      {"volume", "音量", false},
    {"lang", "语言", false},           {"tz", "时区", true},
};
const int k_nsettings = (int)(sizeof k_settings / sizeof k_settings[0]);

const k_setting *k_setting_find(const char *key)
{
    for (int i = 0; i < k_nsettings; i++)
        if (strcmp(k_settings[i].key, key) == 0)
            return &k_settings[i];
    return NULL;
}

/* Checks a typed value before it is stored; false with a message. */
static bool setting_valid(kiosk_t *k, const char *key, const char *val)
{
    zc_err err = {{0}};
    if (strcmp(key, "tz") == 0 && zc_tz_set(val, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return false;
    }
    if (strcmp(key, "server_url") == 0 && val[0] && strncmp(val, "http://", 7) != 0 &&
        strncmp(val, "https://", 8) != 0) {
        k_message(k, true, "%s", TR(k, "服务器地址应以 http:// 或 https:// 开头"));
        return false;
    }
    if ((strcmp(key, "terminal_id") == 0 || strcmp(key, "canteen_id") == 0) && !val[0]) {
        k_message(k, true, "%s", TR(k, "编号不能为空"));
        return false;
    }
    return true;
}

/* Stores and audits one setting; true when saved. */
static bool setting_save(kiosk_t *k, const char *key, const char *val)
{
    zc_err err = {{0}};
    const k_setting *s = k_setting_find(key);
    if (!setting_valid(k, key, val))
        return false;
    if (store_meta_set(till_store(k->t), key, val, &err) != ZC_OK ||
        store_audit(till_store(k->t), k->op.id, "setting", key, val, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return false;
    }
    if (strcmp(key, "card_format") == 0)
        (void)till_reload(k->t, NULL);
    if (strcmp(key, "lang") == 0) {
        i18n_t *n = NULL;
        if (i18n_load(k->i18n_dir, val, &n, &err) == ZC_OK) {
            i18n_free(k->i18n);
            k->i18n = n;
            snprintf(k->lang, sizeof k->lang, "%s", val);
        }
    }
    k_message(k, false, "%s %s", TR(k, "已保存"), s ? TR(k, s->label) : key);
    return true;
}

static void setting_tap(kiosk_t *k, const char *key)
{
    char cur[256] = "";
    const k_setting *s = k_setting_find(key);
    if (!s)
        return;
    if (store_meta_get(till_store(k->t), key, cur, sizeof cur) != ZC_OK)
        cur[0] = '\0';
    if (strcmp(key, "card_format") == 0) {
        static const char *const f[] = {"hex10", "dec10", "dec8", "facility"};
        int i = 0;
        for (int j = 0; j < 4; j++)
            if (strcmp(cur, f[j]) == 0)
                i = j;
        (void)setting_save(k, key, f[(i + 1) % 4]);
    } else if (strcmp(key, "lang") == 0) {
        (void)setting_save(k, key, strcmp(cur, "en") == 0 ? "zh_CN" : "en");
    } else if (strcmp(key, "volume") == 0) {
        char *end;
        long vol = strtol(cur, &end, 10);
        char buf[8];
        if (!cur[0] || *end)
            vol = 80;
        snprintf(buf, sizeof buf, "%ld", (vol + 20) % 120);
        (void)setting_save(k, key, buf);
    } else if (s->text) {
        /* the editor: the current value, the on-screen keyboard, save */
        snprintf(k->set_key, sizeof k->set_key, "%s", key);
        snprintf(k->text, sizeof k->text, "%s", cur);
        k->kb_upper = false;
        k->msg[0] = '\0';
    }
}

bool k_admin_tap(kiosk_t *k, const char *id)
{
    /* buttons on the selling screen that lead here */
    if (k->scr == K_SELL) {
        if (strcmp(id, "lookup") == 0)
            k_auth_begin(k, K_AUTH_LOOKUP, K_SELL);
        else if (strcmp(id, "recent") == 0) {
            k_goto(k, K_RECENT);
            k->msg[0] = '\0';
            load_recent(k);
        } else if (strcmp(id, "shift_close") == 0) {
            /* supervisors close shifts: a cashier's close needs a supervisor's PIN */
            if (k->op.role == STORE_ROLE_CASHIER) {
                k_auth_begin(k, K_AUTH_CLOSE, K_SELL);
            } else {
                snprintf(k->auth_by, sizeof k->auth_by, "%s", k->op.id);
                k_goto(k, K_SHIFT_CLOSE);
                k->msg[0] = '\0';
            }
        } else if (strcmp(id, "reports") == 0) {
            /* a cashier's till shows reports only with a supervisor's PIN */
            if (k->op.role == STORE_ROLE_CASHIER)
                k_auth_begin(k, K_AUTH_REPORT, K_SELL);
            else
                k_report_enter(k, K_SELL);
        } else if (strcmp(id, "settings") == 0 && k->op.role == STORE_ROLE_ADMIN) {
            k->set_key[0] = '\0';
            k->msg[0] = '\0';
            k_goto(k, K_SETTINGS);
        } else if (strcmp(id, "logout") == 0) {
            k_admin_start(k);
        } else {
            return false;
        }
        return true;
    }
    switch (k->scr) {
    case K_LOGIN:
        if (strncmp(id, "op:", 3) == 0 && find_op(k, id + 3)) {
            snprintf(k->pin_op, sizeof k->pin_op, "%s", id + 3);
            k->pin[0] = '\0';
            if (k->auth == K_AUTH_LOGIN)
                k->msg[0] = '\0';
            k_goto(k, K_PIN);
        } else if (strcmp(id, "cancel") == 0) {
            cancel_auth(k);
        }
        return true;
    case K_PIN:
        if (strncmp(id, "pin:", 4) == 0)
            pin_key(k, id + 4);
        else if (strcmp(id, "ok") == 0)
            pin_submit(k);
        else if (strcmp(id, "cancel") == 0)
            cancel_auth(k);
        return true;
    case K_SHIFT_OPEN:
    case K_SHIFT_CLOSE:
        if (strncmp(id, "key:", 4) == 0) {
            k_entry_key(k, id + 4, true);
        } else if (strcmp(id, "confirm") == 0) {
            zc_fen f = 0;
            zc_err err = {{0}};
            if (!k_entry_fen(k, &f)) {
                k_message(k, true, "%s", TR(k, "请输入清点的现金金额"));
            } else if (k->scr == K_SHIFT_OPEN) {
                if (store_shift_open(till_store(k->t), k->op.id, f, k_epoch_now(k), &k->shift, &err) != ZC_OK)
                    k_message(k, true, "%s", err.msg);
                else {
                    k->have_shift = true;
                    k_sell_enter(k);
                }
            } else if (store_shift_close(till_store(k->t), k->op.id, f, k_epoch_now(k), &k->z, &err) != ZC_OK) {
                k_message(k, true, "%s", err.msg);
            } else {
                k->have_shift = false;
                k->msg[0] = '\0';
                if (strcmp(k->auth_by, k->op.id) != 0 &&
                    store_audit(till_store(k->t), k->auth_by, "approve", "shift_close", k->op.id, &err) != ZC_OK)
                    k_message(k, true, "%s", err.msg);
                if (k->sync)
                    sync_kick(k->sync); /* the day's closing summary goes to the centre now */
                if (store_backup_auto(till_store(k->t), NULL, 0, &err) != ZC_OK)
                    k_message(k, true, "%s %s", TR(k, "自动备份失败："), err.msg);
                k_goto(k, K_ZREPORT);
            }
        } else if (strcmp(id, "back") == 0) {
            if (k->scr == K_SHIFT_CLOSE)
                k_goto(k, K_SELL);
            else
                k_admin_start(k);
        } else if (strcmp(id, "reports") == 0 && k->scr == K_SHIFT_OPEN && k->op.role != STORE_ROLE_CASHIER) {
            k_report_enter(k, K_SHIFT_OPEN); /* month-end work needs no shift */
        }
        return true;
    case K_ZREPORT:
        if (strcmp(id, "done") == 0)
            k_admin_start(k);
        else if (strcmp(id, "reports") == 0 && k->op.role == STORE_ROLE_CASHIER)
            k_auth_begin(k, K_AUTH_REPORT, K_ZREPORT);
        else if (strcmp(id, "reports") == 0)
            k_report_enter(k, K_ZREPORT);
        return true;
    case K_RECENT:
        if (strncmp(id, "sale:", 5) == 0) {
            char *end;
            long i = strtol(id + 5, &end, 10);
            if (!*end && i >= 0 && i < k->nrecent)
                snprintf(k->sel_id, sizeof k->sel_id, "%s", k->recent[i].id);
        } else if (strcmp(id, "void") == 0) {
            if (!k->sel_id[0])
                k_message(k, true, "%s", TR(k, "请先选择一笔交易"));
            else
                k_auth_begin(k, K_AUTH_VOID, K_RECENT);
        } else if (strcmp(id, "reprint") == 0) {
            char msg[320];
            if (!k->sel_id[0])
                k_message(k, true, "%s", TR(k, "请先选择一笔交易"));
            else {
                bool ok = k_print_sale(k, k->sel_id, true, msg, sizeof msg);
                k_message(k, !ok, "%s", msg);
            }
        } else if (strcmp(id, "back") == 0) {
            k_sell_enter(k);
        }
        return true;
    case K_VOID_REASON:
        if (strncmp(id, "reason:", 7) == 0)
            void_run(k, id[7] - '0');
        else if (strcmp(id, "back") == 0) {
            k->auth = K_AUTH_LOGIN;
            k_goto(k, K_RECENT);
        }
        return true;
    case K_LOOKUP:
        if (strncmp(id, "key:", 4) == 0) {
            size_t n = strlen(k->text);
            if (strcmp(id + 4, "back") == 0) {
                if (n)
                    k->text[n - 1] = '\0';
            } else if (strcmp(id + 4, "clear") == 0) {
                k->text[0] = '\0';
            } else if (n + 1 < sizeof k->text) {
                snprintf(k->text + n, sizeof k->text - n, "%s", id + 4);
            }
        } else if (strcmp(id, "search") == 0) {
            lookup_run(k);
        } else if (strncmp(id, "found:", 6) == 0) {
            lookup_pick(k, id[6] - '0');
        } else if (strcmp(id, "back") == 0) {
            k->auth = K_AUTH_LOGIN;
            k_goto(k, K_SELL);
        }
        return true;
    case K_SETTINGS:
        if (k->set_key[0] && strncmp(id, "kb:", 3) == 0) {
            (void)k_keyboard_key(k, id + 3, k->text, sizeof k->text);
        } else if (!k->set_key[0] && strncmp(id, "set:", 4) == 0) {
            setting_tap(k, id + 4);
        } else if (strcmp(id, "save") == 0 && k->set_key[0]) {
            if (setting_save(k, k->set_key, k->text))
                k->set_key[0] = '\0'; /* a refused value stays in the editor */
        } else if (strcmp(id, "back") == 0) {
            if (k->set_key[0]) {
                k->set_key[0] = '\0';
                k->msg[0] = '\0';
            } else {
                k_sell_enter(k);
            }
        }
        return true;
    case K_REPORT:
    case K_EXPORT:
        return k_report_tap(k, id);
    default:
        return false;
    }
}

void k_admin_key(kiosk_t *k, int key)
{
    if (key == KKEY_ENTER) {
        if (k->scr == K_PIN)
            pin_submit(k);
        else if (k->scr == K_SHIFT_OPEN || k->scr == K_SHIFT_CLOSE)
            k_admin_tap(k, "confirm");
        else if (k->scr == K_LOOKUP)
            lookup_run(k);
        else if (k->scr == K_SETTINGS)
            k_admin_tap(k, "save");
    } else if (key == KKEY_ESCAPE) {
        k_admin_tap(k, k->scr == K_PIN || k->scr == K_LOGIN ? "cancel" : "back");
    } else if (key == KKEY_BACKSPACE) {
        if (k->scr == K_PIN)
            pin_key(k, "back");
        else if (k->scr == K_SHIFT_OPEN || k->scr == K_SHIFT_CLOSE)
            k_entry_key(k, "back", true);
        else if (k->scr == K_LOOKUP || k->scr == K_SETTINGS) {
            size_t n = strlen(k->text);
            if (n) {
                /* drop a whole UTF-8 character */
                while (n > 0 && ((unsigned char)k->text[n - 1] & 0xC0) == 0x80)
                    n--;
                k->text[n ? n - 1 : 0] = '\0';
            }
        }
    }
}

void k_admin_text(kiosk_t *k, const char *text)
{
    if (k->scr == K_PIN) {
        for (const char *p = text; *p; p++) {
            char key[2] = {*p, 0};
            pin_key(k, key);
        }
    } else if (k->scr == K_SHIFT_OPEN || k->scr == K_SHIFT_CLOSE) {
        for (const char *p = text; *p; p++) {
            char key[2] = {*p, 0};
            k_entry_key(k, *p == '.' ? "dot" : key, true);
        }
    } else if (k->scr == K_LOOKUP || (k->scr == K_SETTINGS && k->set_key[0])) {
        size_t n = strlen(k->text), add = strlen(text);
        if (n + add < sizeof k->text)
            memcpy(k->text + n, text, add + 1);
    }
}
