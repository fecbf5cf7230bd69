/* staff.c - adding people, new PINs, switching off and unlocking.
 *
 * operator.c keeps the raw rows and the sign-in; this file is the rules an
 * admin works under (store.h, "staff").  A new PIN is checked against every
 * other operator's hash so no two people share one: argon2id is slow on
 * purpose, so that costs about a tenth of a second per operator, which a
 * canteen's dozen people can afford and which runs before the write
 * transaction.  Nothing here writes or prints a PIN; the audit rows say
 * what changed ("pin", "disable") and who did it. */
#include "../core/clock.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

int store_staff_pin_min(store_t *st, store_role role)
{
    char v[16];
    long min = STORE_PIN_MIN_CASHIER;
    if (store_meta_get(st, "pin_min_cashier", v, sizeof v) == ZC_OK) {
        char *end;
        long n = strtol(v, &end, 10);
        if (end != v && !*end && n >= 4 && n <= 8)
            min = n;
    }
    if (role != STORE_ROLE_CASHIER && min < STORE_PIN_MIN_SUPERVISOR)
        min = STORE_PIN_MIN_SUPERVISOR;
    return (int)min;
}

/* ZC_ECONFLICT when another operator than `except` already has pin. */
static int pin_unused(store_t *st, const char *except, const char *pin, zc_err *err)
{
    sqlite3_stmt *s;
    char id[ZC_ID_MAX], hash[STORE_SEALED_MAX];
    bool taken = false;
    int ret = store_prep(st, Q_OP_HASHES, "SELECT id, pin_hash FROM operator", &s, err);
    if (ret)
        return ret;
    int rc;
    while (!taken && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_col_text(s, 0, id, sizeof id);
        store_col_text(s, 1, hash, sizeof hash);
        taken = (!except || strcmp(id, except) != 0) && store_pin_verify(st, hash, pin) == ZC_OK;
    }
    if (!taken && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "checking the PIN", err);
    store_done(s);
    if (taken) /* not which operator: that would tell the typist someone's PIN */
        ret = zc_errf(err, ZC_ECONFLICT, "another operator already uses this PIN; choose another");
    return ret;
}

/* The PIN rules for role, then the hash into out. */
static int new_pin(store_t *st, const char *except, store_role role, const char *pin,
                   char out[STORE_SEALED_MAX], zc_err *err)
{
    int ret = zc_pin_policy(pin, store_staff_pin_min(st, role), err);
    if (ret == ZC_OK)
        ret = pin_unused(st, except, pin, err);
    if (ret == ZC_OK)
        ret = store_pin_hash(st, pin, out, err);
    return ret;
}

int store_staff_add(store_t *st, const char *actor, const store_operator *op, const char *pin,
                    zc_err *err)
{
    char hash[STORE_SEALED_MAX];
    store_operator row;
    if (!op || (int)op->role < 0 || (int)op->role > 2)
        return zc_errf(err, ZC_EINVAL, "the role must be cashier, supervisor or admin");
    if (store_operator_get(st, op->id, &row, NULL) == ZC_OK)
        return zc_errf(err, ZC_ECONFLICT, "operator %s already exists; choose another id", op->id);
    int ret = new_pin(st, NULL, op->role, pin, hash, err);
    if (ret)
        return ret;
    row = *op;
    row.active = true;
    return store_op_insert(st, actor, &row, hash, err);
}

/* Runs one UPDATE of an operator row (slot, sql binding ?1 = id and, when
 * val is not NULL, ?2 = val) and its audit row, in one transaction. */
static int update(store_t *st, const char *actor, const char *id, int slot, const char *sql,
                  const char *val, const char *action, const char *detail, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_begin(st, "the operator", err);
    if (ret)
        return ret;
    if ((ret = store_prep(st, slot, sql, &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (val)
        sqlite3_bind_text(s, 2, val, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the operator", err);
        goto out;
    }
    if (sqlite3_changes(st->db) != 1) {
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no operator %s; check the operator number", id);
        goto out;
    }
    if ((ret = store_audit_write(st, zc_now(), actor ? actor : "", action, id, detail, err)))
        goto out;
    ret = store_commit(st, "the operator", err);
out:
    store_rollback(st);
    return ret;
}

int store_staff_set_pin(store_t *st, const char *actor, const char *id, const char *pin,
                        zc_err *err)
{
    char hash[STORE_SEALED_MAX];
    store_operator op;
    int ret = store_operator_get(st, id, &op, err);
    if (ret || (ret = new_pin(st, id, op.role, pin, hash, err)))
        return ret;
    return update(st, actor, id, Q_OP_SET_PIN,
                  "UPDATE operator SET pin_hash = ?2, failed = 0, locked_until = 0 WHERE id = ?1",
                  hash, "operator_pin", "new PIN", err);
}

/* How many active admins there are. */
static int active_admins(store_t *st, int *n, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_OP_ADMINS,
                         "SELECT count(*) FROM operator WHERE role = 'admin' AND active = 1", &s, err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int(s, 0);
    else
        ret = store_dbfail(st, rc, "reading the operators", err);
    store_done(s);
    return ret;
}

int store_staff_set_active(store_t *st, const char *actor, const char *id, bool active,
                           zc_err *err)
{
    store_operator op;
    int admins = 0;
    int ret = store_operator_get(st, id, &op, err);
    if (ret)
        return ret;
    if (!active && op.active && op.role == STORE_ROLE_ADMIN) {
        if ((ret = active_admins(st, &admins, err)))
            return ret;
        if (admins <= 1)
            return zc_errf(err, ZC_EREFUSED, "%s is the only active admin; add another admin "
                           "before switching this one off", id);
    }
    return update(st, actor, id, Q_OP_SET_ACTIVE, "UPDATE operator SET active = ?2 WHERE id = ?1",
                  active ? "1" : "0", active ? "operator_enable" : "operator_disable", "", err);
}

int store_staff_unlock(store_t *st, const char *actor, const char *id, zc_err *err)
{
    return update(st, actor, id, Q_OP_UNLOCK,
                  "UPDATE operator SET failed = 0, locked_until = 0 WHERE id = ?1", NULL,
                  "operator_unlock", "", err);
}
