// Shows the upload's progress: the form is sent with XMLHttpRequest so the bar can follow the
// bytes; the server's redirect (to the import's page) is then followed. Without JavaScript the
// form posts as usual.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form || !window.FormData) { return; }
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      bar.hidden = false;
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.max = e.total;
          bar.value = e.loaded;
          status.textContent = Math.round((100 * e.loaded) / e.total) + " %";
        }
      });
      request.addEventListener("load", function () {
        if (request.status === 200 && request.responseURL && request.responseURL !== window.location.href) {
          window.location.assign(request.responseURL);
        } else {
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      request.send(new FormData(form));
    });
  });
})();
