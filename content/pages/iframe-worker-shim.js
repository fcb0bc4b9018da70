// Search on a site opened from disk (file://): the browser refuses to start the search's web worker
// there, so this runs it in a hidden frame of the same page instead. mkdocs-material's offline plugin
// asks for such a shim; this one is the project's own and is loaded from the site itself (no CDN), so
// the site searches offline and in mainland China. Over http(s) it does nothing.
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof window.Worker === "undefined") return;

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.queue = [];
      this.ready = false;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.tabIndex = -1;
      (document.body || document.documentElement).appendChild(this.frame);
      const inner = this.frame.contentWindow;
      this.inner = inner;
      // the worker's postMessage(...) reaches this object, asynchronously as a worker's does
      inner.postMessage = (data) => setTimeout(() => this.emit("message", data), 0);
      const doc = inner.document;
      const script = doc.createElement("script");
      script.src = new URL(url, location.href).href;
      script.onload = () => {
        this.ready = true;
        for (const data of this.queue.splice(0)) this.deliver(data);
      };
      script.onerror = () => this.emit("error", null);
      (doc.body || doc.documentElement).appendChild(script);
    }

    emit(type, data) {
      const event = type === "message" ? new MessageEvent("message", { data }) : new Event(type);
      this.dispatchEvent(event);
      const handler = this["on" + type];
      if (typeof handler === "function") handler.call(this, event);
    }

    deliver(data) {
      setTimeout(() => this.inner.dispatchEvent(new this.inner.MessageEvent("message", { data })), 0);
    }

    postMessage(data) {
      if (this.ready) this.deliver(data);
      else this.queue.push(data);
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.Worker = FrameWorker;
})();
