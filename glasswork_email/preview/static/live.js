// Live reload: wait for a build newer than this page's, then reload the page.
(function () {
  "use strict";
  var version = Number(document.body.dataset.version);
  function wait() {
    fetch("/version?after=" + version, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.version !== version) {
          window.location.reload();
        } else {
          wait();
        }
      })
      .catch(function () { window.setTimeout(wait, 1000); });
  }
  wait();
})();
