-- 006: the canteen's own menu on a plain terminal (zhucan menu ...):
-- a unit for each dish, sold out for one day, and prices that change from
-- a moment on.  A sale keeps the name and price it was sold at (sale_line),
-- so a later price never alters a past sale.
ALTER TABLE menu_item ADD COLUMN unit TEXT NOT NULL DEFAULT '份';
ALTER TABLE menu_item ADD COLUMN sold_out_on TEXT; -- local date it is sold out (NULL: on sale)

-- A price that takes over at from_utc (epoch seconds); the newest one not
-- in the future applies, else menu_item.price_fen.
CREATE TABLE menu_price (
    code      TEXT NOT NULL REFERENCES menu_item (code),
    from_utc  INTEGER NOT NULL,
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    PRIMARY KEY (code, from_utc)
) WITHOUT ROWID;
