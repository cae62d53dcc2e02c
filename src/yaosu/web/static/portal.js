// Disable inputs that do not apply: level only for general data, open condition and item code only for public data.
(function () {
  "use strict";
  function sync(form) {
    var cls = form.querySelector("[name=classification]");
    var grade = form.querySelector("[name=grade]");
    var rules = [
      ["level", function () { return grade && grade.value === "general"; }],
      ["open_condition", function () { return cls && cls.value === "public"; }],
      ["data_item_code", function () { return cls && cls.value === "public"; }]
    ];
    rules.forEach(function (rule) {
      var input = form.querySelector("[name=" + rule[0] + "]");
      if (input) { input.disabled = !rule[1](); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[action='/resources/new']");
    if (!form) { return; }
    form.addEventListener("change", function () { sync(form); });
    sync(form);
  });
})();
