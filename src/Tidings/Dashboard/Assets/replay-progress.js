// Keeps a replay page's progress bars up to date: polls the page's own JSON progress answer (same origin, the sign-in
// cookie) once a second until the replay has finished. Without it the page still shows the progress it was loaded with.
(function () {
    "use strict";
    var card = document.querySelector("[data-progress-url]");
    if (!card || !window.fetch) return;
    var url = card.getAttribute("data-progress-url");
    var scan = document.getElementById("replay-scan");
    var sent = document.getElementById("replay-sent");
    var scanText = document.getElementById("replay-scan-text");
    var sentText = document.getElementById("replay-sent-text");
    var state = card.querySelector(".replay-state");
    var number = new Intl.NumberFormat("en-US");

    function show(p) {
        scan.value = p.scanPercent;
        scan.textContent = p.scanPercent + " %";
        scanText.textContent = p.scanPercent + " % (" + number.format(p.scanned) + " of " + number.format(p.total) + " records)";
        sent.value = p.sentPercent;
        sent.textContent = p.sentPercent + " %";
        sentText.textContent = p.sentPercent + " % (" + p.text + ")";
        if (p.finished) {
            state.textContent = "Finished";
            state.classList.remove("state-warn");
            state.classList.add("state-ok");
        }
    }

    function poll() {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
            .then(function (response) {
                if (!response.ok) throw new Error("HTTP " + response.status);
                return response.json();
            })
            .then(function (p) {
                show(p);
                if (!p.finished) window.setTimeout(poll, 1000);
            })
            .catch(function () { window.setTimeout(poll, 5000); }); // signed out or offline: try again, slower
    }

    window.setTimeout(poll, 500);
})();
