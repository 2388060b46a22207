// Opened from disk (file://), a browser will not load this page's modules: say so in Chinese
// and point to the single-file page, instead of "loading…" forever. A classic script, which
// browsers do load from file://.
if (location.protocol === "file:") {
  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("load-error");
    if (!box) return;
    box.hidden = false;
    box.textContent =
      "本页面从本地文件打开时，浏览器不允许加载规则引擎。请改为打开单文件版 pkg/offline/jianfu.html（可直接双击打开、无需联网），" +
      "或在 bindings/wasm 目录运行 node tests/serve.mjs 8787 后访问 http://127.0.0.1:8787/web/。" +
      " / Opened from disk, this page cannot load its engine: open the single-file page pkg/offline/jianfu.html instead, or serve the folder.";
    const verdict = document.getElementById("verdict");
    if (verdict) verdict.dataset.busy = "false";
  });
}
