// Entry page helpers: reorder/remove indicator rows and conflict overwrite, then re-save through htmx;
// texts that grow with their content.
(function () {
  "use strict";
  function save() {
    var form = document.getElementById("entry");
    if (form && window.htmx) { htmx.trigger(form, "jx-save"); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var row = button.closest("tr.ind-row");
    if (row && button.hasAttribute("data-remove")) {
      if (window.confirm("确定删除这个指标吗？")) { row.remove(); save(); }
    } else if (row && button.hasAttribute("data-move")) {
      var up = button.getAttribute("data-move") === "-1";
      var other = up ? row.previousElementSibling : row.nextElementSibling;
      if (other) { row.parentNode.insertBefore(row, up ? other : other.nextElementSibling); save(); }
    } else if (button.id === "overwrite") {
      var form = document.getElementById("entry");
      var flag = document.createElement("input");
      flag.type = "hidden"; flag.name = "overwrite"; flag.value = "1"; flag.id = "overwrite-flag";
      form.appendChild(flag);
      save();
    }
  });
  document.addEventListener("htmx:afterRequest", function () {
    var flag = document.getElementById("overwrite-flag");
    if (flag) { flag.remove(); }
  });
  // A refused or failed save must never leave "已保存" on screen.
  function unsaved(text) {
    var panel = document.getElementById("panel");
    if (!panel) { return; }
    var old = panel.querySelector(".save-status");
    if (old) { old.remove(); }
    var status = document.createElement("div");
    status.className = "save-status st-error"; status.setAttribute("role", "status");
    status.textContent = text;
    panel.insertBefore(status, panel.firstChild);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 503) { unsaved("未保存：" + xhr.responseText); return; }  // 数据库正忙: retry later
    unsaved("未保存：服务器拒绝了本次保存（HTTP " + xhr.status + "）。您的输入仍在页面上，请检查后重试。");
  });
  document.addEventListener("htmx:sendError", function () {
    unsaved("未保存：无法连接服务器。您的输入仍在页面上，请稍后重试。");
  });
  // Texts grow with their content (names, goals): CSS field-sizing where the browser knows it, else here.
  if (!(window.CSS && CSS.supports("field-sizing", "content"))) {
    var fit = function (area) { area.style.height = "auto"; area.style.height = area.scrollHeight + 2 + "px"; };
    var fitAll = function () { document.querySelectorAll("table.sheet textarea").forEach(fit); };
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("table.sheet textarea")) { fit(event.target); }
    });
    document.addEventListener("DOMContentLoaded", fitAll);
    document.addEventListener("htmx:afterSwap", fitAll);
  }
  // Editing a doubted cell ends its doubt on the server when the page saves: drop its highlight here too.
  document.addEventListener("change", function (event) {
    var cell = event.target;
    if (cell.hasAttribute && cell.hasAttribute("data-doubt")) { cell.removeAttribute("data-doubt"); cell.removeAttribute("title"); }
  });
  // A 409 conflict still carries the panel to show: let htmx swap it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
})();
