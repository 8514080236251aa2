/*
 * http_assets.c — the dashboard's CSS and JavaScript, built into seratd.
 *
 * No CDN, no web fonts (the network has no internet): system font stacks
 * only.  Layout rules that tests rely on: nothing is wider than the
 * viewport at 390 px (tables scroll inside .scroll, images shrink), and
 * the wall (body.wall) is exactly one viewport high with no scrolling.
 */
#include "config.h"

#include <stddef.h>

#include "collector/http_int.h"

static const char http_css[] =
":root{--bg:#f6f7f9;--fg:#1a1a1a;--card:#fff;--line:#d8dde3;--mut:#5c6670;"
"--up:#2ca02c;--down:#d62728;--unk:#8a939c;--deg:#e6a100;--link:#1f4e9e}\n"
"*{box-sizing:border-box}\n"
"html,body{margin:0;padding:0;background:var(--bg);color:var(--fg);"
"font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}\n"
"a{color:var(--link)}\n"
"header{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center;padding:.6em 1em;"
"background:#13233f;color:#fff}\n"
"header a{color:#fff;text-decoration:none}header .brand{font-weight:700;font-size:1.15em}\n"
"header nav{display:flex;flex-wrap:wrap;gap:.2em .9em}\n"
"header .lang{margin-left:auto}\n"
"main{padding:.8em 1em;max-width:1400px;margin:0 auto}\n"
"h1{font-size:1.35em;margin:.3em 0}h2{font-size:1.1em;margin:1.1em 0 .4em}\n"
".muted{color:var(--mut)}\n"
".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.6em}\n"
".tile{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--unk);"
"border-radius:6px;padding:.5em .7em;min-width:0;overflow-wrap:anywhere}\n"
".tile.st-up{border-left-color:var(--up)}.tile.st-down{border-left-color:var(--down)}"
".tile.st-degraded{border-left-color:var(--deg)}\n"
".tile .name{font-weight:600}\n"
".badge{display:inline-block;padding:0 .45em;border-radius:9px;color:#fff;font-size:.85em;"
"background:var(--unk)}\n"
".badge.st-up{background:var(--up)}.badge.st-down{background:var(--down)}"
".badge.st-degraded{background:var(--deg);color:#000}\n"
".scroll{overflow-x:auto;max-width:100%}\n"
"table{border-collapse:collapse;background:var(--card);font-size:.93em}\n"
"th,td{padding:.25em .6em;border-bottom:1px solid var(--line);text-align:left;"
"white-space:nowrap}\n"
"td.num,th.num{text-align:right}\n"
".graphs img{display:block;max-width:100%;height:auto;margin:.4em 0;border:1px solid var(--line)}\n"
".periods a{margin-right:.7em}\n"
".placeholder{background:var(--card);border:1px dashed var(--line);padding:1em;border-radius:6px}\n"
"@media (max-width:600px){main{padding:.5em}.grid{grid-template-columns:1fr}"
"header .lang{margin-left:0}}\n"
/* The wall: one dark screen, never scrolls. */
"body.wall{background:#0d1117;color:#e6edf3;height:100vh;overflow:hidden;"
"display:flex;flex-direction:column}\n"
"body.wall .wallhead{display:flex;justify-content:space-between;padding:.4em 1em;"
"font-size:1.6em;font-weight:600}\n"
"body.wall .wallgrid{flex:1;display:grid;gap:.5em;padding:.5em;min-height:0;"
"grid-template-columns:repeat(auto-fit,minmax(260px,1fr));grid-auto-rows:minmax(0,1fr);"
"overflow:hidden}\n"
"body.wall .tile{background:#161b22;border-color:#30363d;color:#e6edf3;font-size:1.35em;"
"overflow:hidden}\n"
"body.wall .tile .name{font-size:1.2em}\n"
"body.wall .tile .big{font-size:1.5em;font-weight:700}\n";

static const char http_js[] =
"// After load: the page's layout figures on <html data-layout> (scroll\n"
"// and client sizes, images loaded/total), read by the acceptance test\n"
"// and handy when a wall screen looks wrong.\n"
"window.addEventListener('load',function(){\n"
"  var d=document.documentElement,im=document.images,ok=0;\n"
"  for(var i=0;i<im.length;i++)if(im[i].complete&&im[i].naturalWidth>0)ok++;\n"
"  d.setAttribute('data-layout',d.scrollWidth+' '+d.scrollHeight+' '+d.clientWidth+' '+\n"
"    d.clientHeight+' '+ok+' '+im.length);\n"
"});\n"
"// Refresh graph images once a minute without reloading the page.\n"
"(function(){\n"
"  var imgs=document.querySelectorAll('img[data-refresh]');\n"
"  if(!imgs.length)return;\n"
"  setInterval(function(){\n"
"    for(var i=0;i<imgs.length;i++){\n"
"      var u=imgs[i].getAttribute('data-refresh');\n"
"      imgs[i].src=u+(u.indexOf('?')<0?'?':'&')+'t='+Math.floor(Date.now()/60000);\n"
"    }\n"
"  },60000);\n"
"})();\n";

const struct http_asset http_assets[] = {
	{ "serat.css", "text/css; charset=utf-8", http_css },
	{ "serat.js", "text/javascript; charset=utf-8", http_js },
	{ NULL, NULL, NULL },
};
const char *const http_asset_names[] = { "serat.css", "serat.js", NULL };
