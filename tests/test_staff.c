/* test_staff.c - the canteen's staff on a plain terminal: adding people
 * with PINs by their role's rules, no shared PIN, new PINs, switching off
 * and on (never the last admin), unlocking, and the audit rows, which never
 * hold a PIN.  Real SQLite files in a mkdtemp directory. */
#include "../app/core/secure.h"
#include "../app/store/store.h"
#include "check.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/zc_staff_XXXXXX", path[64];

static store_t *fresh(void)
{
    store_t *st = NULL;
    zc_err err = {""};
    snprintf(dir, sizeof dir, "/tmp/zc_staff_XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/t.db", dir);
    CHECK_OK(store_open(path, STORE_CREATE, &st, &err));
    return st;
}

static void done(store_t *st)
{
    char p[96];
    store_close(st);
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    CHECK_OK(system(p));
}

static store_operator person(const char *id, const char *name, store_role role)
{
    store_operator op;
    memset(&op, 0, sizeof op);
    snprintf(op.id, sizeof op.id, "%s", id);
    snprintf(op.name, sizeof op.name, "%s", name);
    op.role = role;
    return op;
}

/* The number of audit rows with action, and whether any holds text. */
static int audits(const char *action, const char *text, int *holds)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int n = 0;
    *holds = 0;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT action, subject || detail || operator_id FROM audit",
                                 -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        n += strcmp((const char *)sqlite3_column_text(s, 0), action) == 0;
        *holds |= text && strstr((const char *)sqlite3_column_text(s, 1), text) != NULL;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static void t_add_rules(void)
{
    store_t *st = fresh();
    zc_err err = {""};
    int holds;
    store_operator a = person("a1", "王芳", STORE_ROLE_ADMIN), c = person("c1", "李强", STORE_ROLE_CASHIER),
                   s = person("s1", "赵敏", STORE_ROLE_SUPERVISOR);
    CHECK_INT(store_staff_pin_min(st, STORE_ROLE_CASHIER), 4);
    CHECK_INT(store_staff_pin_min(st, STORE_ROLE_SUPERVISOR), 6);
    CHECK_INT(store_staff_pin_min(st, STORE_ROLE_ADMIN), 6);
    /* an admin with a 4-digit PIN: refused, nothing stored */
    CHECK_INT(store_staff_add(st, "", &a, "5829", &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "at least 6 digits") != NULL);
    CHECK_INT(store_operator_get(st, "a1", &a, NULL), ZC_ENOTFOUND);
    CHECK_OK(store_staff_add(st, "", &a, "582913", &err));
    CHECK_OK(store_staff_add(st, "a1", &c, "7301", &err));
    /* a second person with a PIN already in use: refused without naming whose */
    CHECK_INT(store_staff_add(st, "a1", &s, "582913", &err), ZC_ECONFLICT);
    CHECK(strstr(err.msg, "another operator") != NULL && strstr(err.msg, "a1") == NULL);
    CHECK_INT(store_staff_add(st, "a1", &s, "123456", &err), ZC_EINVAL);
    CHECK_OK(store_staff_add(st, "a1", &s, "640275", &err));
    /* the same id again */
    store_operator again = person("c1", "别人", STORE_ROLE_CASHIER);
    CHECK_INT(store_staff_add(st, "a1", &again, "9163", &err), ZC_ECONFLICT);
    /* a stricter canteen: cashiers need 6 digits too; supervisors stay 6, 8 raises them */
    CHECK_OK(store_meta_set(st, "pin_min_cashier", "6", &err));
    CHECK_INT(store_staff_pin_min(st, STORE_ROLE_CASHIER), 6);
    store_operator c2 = person("c2", "周", STORE_ROLE_CASHIER);
    CHECK_INT(store_staff_add(st, "a1", &c2, "9163", &err), ZC_EINVAL);
    CHECK_OK(store_meta_set(st, "pin_min_cashier", "8", &err));
    CHECK_INT(store_staff_pin_min(st, STORE_ROLE_SUPERVISOR), 8);
    CHECK_OK(store_meta_set(st, "pin_min_cashier", "99", &err)); /* nonsense means the default */
    CHECK_INT(store_staff_pin_min(st, STORE_ROLE_CASHIER), 4);
    /* everyone can sign in with their own PIN */
    store_operator who;
    CHECK_OK(store_operator_login(st, "a1", "582913", 1000, &who, &err));
    CHECK_OK(store_operator_login(st, "c1", "7301", 1000, &who, &err));
    CHECK_INT(who.role, STORE_ROLE_CASHIER);
    CHECK_OK(store_operator_login(st, "s1", "640275", 1000, &who, &err));
    CHECK_INT(audits("operator_add", "582913", &holds), 3);
    CHECK_INT(holds, 0);
    CHECK_INT(audits("operator_add", "7301", &holds), 3);
    CHECK_INT(holds, 0);
    int64_t rows = 0;
    CHECK_OK(store_audit_verify(st, &rows, &err));
    done(st);
}

static void t_pin_lock_disable(void)
{
    store_t *st = fresh();
    zc_err err = {""};
    int holds;
    store_operator a = person("a1", "王芳", STORE_ROLE_ADMIN), c = person("c1", "李强", STORE_ROLE_CASHIER),
                   who;
    CHECK_OK(store_staff_add(st, "", &a, "582913", &err));
    CHECK_OK(store_staff_add(st, "a1", &c, "7301", &err));
    /* five wrong PINs lock c1; unlock lifts it */
    for (int i = 0; i < 5; i++)
        CHECK(store_operator_login(st, "c1", "0001", 1000 + i, &who, &err) != ZC_OK);
    CHECK_INT(store_operator_login(st, "c1", "7301", 1010, &who, &err), ZC_ELOCKED);
    CHECK_OK(store_staff_unlock(st, "a1", "c1", &err));
    CHECK_OK(store_operator_login(st, "c1", "7301", 1011, &who, &err));
    CHECK_INT(store_staff_unlock(st, "a1", "nobody", &err), ZC_ENOTFOUND);
    /* a new PIN: the old one stops working; its own old PIN is not "shared" */
    CHECK_INT(store_staff_set_pin(st, "a1", "c1", "582913", &err), ZC_ECONFLICT);
    CHECK_OK(store_staff_set_pin(st, "a1", "c1", "7301", &err));
    CHECK_OK(store_staff_set_pin(st, "a1", "c1", "4682", &err));
    CHECK_INT(store_operator_login(st, "c1", "7301", 1020, &who, &err), ZC_EREFUSED);
    CHECK_OK(store_operator_login(st, "c1", "4682", 1021, &who, &err));
    /* a new PIN lifts a lock too */
    for (int i = 0; i < 5; i++)
        CHECK(store_operator_login(st, "c1", "0001", 1030 + i, &who, &err) != ZC_OK);
    CHECK_OK(store_staff_set_pin(st, "a1", "c1", "9471", &err));
    CHECK_OK(store_operator_login(st, "c1", "9471", 1040, &who, &err));
    /* switched off: cannot sign in; on again: can */
    CHECK_OK(store_staff_set_active(st, "a1", "c1", false, &err));
    CHECK_INT(store_operator_login(st, "c1", "9471", 1050, &who, &err), ZC_EREFUSED);
    CHECK_OK(store_staff_set_active(st, "a1", "c1", true, &err));
    CHECK_OK(store_operator_login(st, "c1", "9471", 1051, &who, &err));
    /* the only admin stays; with a second admin, the first may go */
    CHECK_INT(store_staff_set_active(st, "a1", "a1", false, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "only active admin") != NULL);
    store_operator a2 = person("a2", "陈", STORE_ROLE_ADMIN);
    CHECK_OK(store_staff_add(st, "a1", &a2, "730264", &err));
    CHECK_OK(store_staff_set_active(st, "a2", "a1", false, &err));
    CHECK_INT(store_staff_set_active(st, "a2", "a2", false, &err), ZC_EREFUSED);
    CHECK_INT(store_staff_set_active(st, "a2", "ghost", false, &err), ZC_ENOTFOUND);
    CHECK_INT(audits("operator_pin", "9471", &holds), 3);
    CHECK_INT(holds, 0);
    CHECK_INT(audits("operator_unlock", NULL, &holds), 1);
    CHECK_INT(audits("operator_disable", NULL, &holds), 2);
    CHECK_INT(audits("operator_enable", NULL, &holds), 1);
    int64_t rows = 0;
    CHECK_OK(store_audit_verify(st, &rows, &err));
    done(st);
}

static const check_case cases[] = {
    {"add_rules", t_add_rules},
    {"pin_lock_disable", t_pin_lock_disable},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (zc_secure_init() != 0)
        return 2;
    return check_main("test_staff", cases, argc, argv);
}
