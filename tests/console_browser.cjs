// console_browser.cjs - real clicks in headless Chromium on the district
// console (driven by tests/test_console_browser.sh): sign in through the
// form, add a canteen, find an elder and report a card lost, upload a GBK
// roster file, preview and apply it, change the password, sign out; at
// 1366 px and at a phone's 390 px the page does not scroll sideways; a
// form on another site posting to the console is refused.
// Usage: node console_browser.cjs URL USER PASSWORD NEW_PASSWORD GBK_FILE SHOTS_DIR
// Prints one line "ok NAME" or "FAIL NAME: why" per check.
const puppeteer = require('puppeteer-core');
const [url, user, pw, newPw, gbkFile, shots] = process.argv.slice(2);

let failed = 0;
function check(name, cond, why) {
  if (cond) console.log('ok ' + name);
  else { failed++; console.log('FAIL ' + name + ': ' + (why || '')); }
}
async function text(page) { return page.evaluate(() => document.body.innerText); }
async function submit(page, formSelector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 20000 }),
                     page.click(formSelector + ' button[type=submit]')]);
}
async function noSideScroll(page, name) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(name + ': no sideways scroll (' + w[0] + ' <= ' + w[1] + ')', w[0] <= w[1], JSON.stringify(w));
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--lang=zh-CN', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(20000);
    await page.setViewport({ width: 1366, height: 900 });

    // sign in through the form
    await page.goto(url + '/admin/', { waitUntil: 'load' });
    check('no session: the form', page.url().endsWith('/admin/login'), page.url());
    await page.type('#user', user);
    await page.type('#password', pw);
    await submit(page, 'form[action="/admin/login"]');
    let t = await text(page);
    check('signed in: the month page', t.includes('月度结算') && t.includes('退出登录'), t.slice(0, 200));
    await noSideScroll(page, 'month page at 1366');

    // canteens: add one
    await Promise.all([page.waitForNavigation(), page.click('a[href="/admin/canteens"]')]);
    await page.type('#cid', 'C-0100');
    await page.type('#cname', '浏览器添加的饭堂');
    await page.type('#city', '440100');
    await submit(page, 'form[action="/admin/canteens"]');
    t = await text(page);
    check('canteen added', t.includes('已添加饭堂 C-0100 浏览器添加的饭堂'), t.slice(0, 300));

    // elders: search, 挂失
    await Promise.all([page.waitForNavigation(), page.click('a[href="/admin/elders"]')]);
    await page.type('#q', '陈');
    await submit(page, 'form[action="/admin/elders"]');
    t = await text(page);
    check('elders found', t.includes('陈桂芳'), t.slice(0, 300));
    await Promise.all([page.waitForNavigation(),
                       page.click('form[action="/admin/cards/status"] button[type=submit]')]);
    t = await text(page);
    check('card reported lost', t.includes('已挂失') && t.includes('各终端下次同步时生效'), t.slice(0, 300));

    // roster: upload a GBK file, preview, apply
    await Promise.all([page.waitForNavigation(), page.click('a[href="/admin/roster"]')]);
    const input = await page.$('#file');
    await input.uploadFile(gbkFile);
    await submit(page, 'form[action="/admin/roster"]');
    t = await text(page);
    check('preview: GBK detected', t.includes('GBK') && t.includes('全部导入'), t.slice(0, 400));
    await submit(page, 'form[action="/admin/roster/apply"]');
    t = await text(page);
    check('roster applied', t.includes('已导入 1 行'), t.slice(0, 300));

    // at a phone's width
    await page.setViewport({ width: 390, height: 800, isMobile: true });
    for (const p of ['/admin/', '/admin/accounts', '/admin/elders?q=%E9%99%88', '/admin/canteens', '/admin/roster']) {
      await page.goto(url + p, { waitUntil: 'load' });
      await noSideScroll(page, 'phone ' + p);
    }
    await page.screenshot({ path: shots + '/console-phone.png' });
    await page.setViewport({ width: 1366, height: 900 });
    await page.goto(url + '/admin/accounts', { waitUntil: 'load' });
    await page.screenshot({ path: shots + '/console-accounts.png', fullPage: true });

    // password change
    await page.goto(url + '/admin/password', { waitUntil: 'load' });
    await page.type('#current', pw);
    await page.type('#password', newPw);
    await page.type('#password2', newPw);
    await submit(page, 'form[action="/admin/password"]');
    t = await text(page);
    check('password changed', t.includes('密码已修改'), t.slice(0, 300));

    // a form on another site: refused, and nothing changed
    const evil = 'data:text/html;charset=utf-8,' + encodeURIComponent(
      '<form method="post" action="' + url + '/admin/accounts"><input name="name" value="evil">' +
      '<input name="role" value="district"><input name="password" value="Evil-Password-1">' +
      '<input name="password2" value="Evil-Password-1"></form><script>document.forms[0].submit()</script>');
    await Promise.all([page.waitForNavigation({ timeout: 20000 }), page.goto(evil)]).catch(() => {});
    await new Promise(r => setTimeout(r, 500));
    t = await text(page).catch(() => '');
    check('another site\'s form is refused', t.includes('请求被拒绝') || t.includes('需要登录') || t.includes('表单已过期'), t.slice(0, 200));

    // sign out
    await page.goto(url + '/admin/', { waitUntil: 'load' });
    await submit(page, 'form[action="/admin/logout"]');
    check('signed out', page.url().endsWith('/admin/login'), page.url());
  } catch (e) {
    failed++;
    console.log('FAIL exception: ' + (e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e));
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})();
