// The home page's live chart: events per second of the last minute, from the server-sent events of
// /dashboard/live/events, drawn as bars into the page's SVG. Without this script the page shows its counts as loaded.
(() => {
    "use strict";
    const svg = document.querySelector("svg[data-live-source]");
    if (!svg || !window.EventSource) return;
    const ns = "http://www.w3.org/2000/svg";
    const seconds = 60, width = 600, height = 120;
    const nowText = document.querySelector("[data-live-now]");
    const minuteText = document.querySelector("[data-live-minute]");
    const values = [];
    const bars = [];
    for (let i = 0; i < seconds; i++) {
        const bar = document.createElementNS(ns, "rect");
        bar.setAttribute("class", "live-bar");
        bar.setAttribute("x", String(i * width / seconds + 1));
        bar.setAttribute("width", String(width / seconds - 2));
        bar.setAttribute("y", String(height));
        bar.setAttribute("height", "0");
        svg.appendChild(bar);
        bars.push(bar);
    }

    const top = document.createElementNS(ns, "text");
    top.setAttribute("class", "chart-axis");
    top.setAttribute("x", "4");
    top.setAttribute("y", "12");
    svg.appendChild(top);

    let updates = 0;
    const draw = () => {
        const max = Math.max(1, ...values);
        for (let i = 0; i < seconds; i++) {
            const v = values[values.length - seconds + i] ?? 0;
            const h = v / max * (height - 16);
            bars[i].setAttribute("y", String(height - h));
            bars[i].setAttribute("height", String(h));
        }
        const sum = values.slice(-seconds).reduce((a, b) => a + b, 0);
        top.textContent = "max " + max.toLocaleString("en") + "/s";
        if (nowText) nowText.textContent = (values[values.length - 1] ?? 0).toLocaleString("en");
        if (minuteText) minuteText.textContent = sum.toLocaleString("en");
        svg.dataset.updates = String(++updates);
        svg.dataset.sum = String(sum);
    };

    const source = new EventSource(svg.dataset.liveSource);
    let pending = false;
    source.onmessage = e => {
        const message = JSON.parse(e.data);
        values.push(message.events);
        if (values.length > seconds) values.shift();
        // The minute of history arrives at once: draw once per frame, not per message.
        if (!pending) {
            pending = true;
            requestAnimationFrame(() => { pending = false; draw(); });
        }
    };
    window.addEventListener("pagehide", () => source.close());
})();
