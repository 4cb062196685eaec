// The door's check-in page and the printable pages; every page works without this file.
// Scanning: where the browser has the BarcodeDetector API and a camera, a "Scan a badge"
// button opens the camera; a QR code read fills the search box and searches. Typing the
// code always works.
(() => {
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });

  const form = document.getElementById("checkin-search");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const scan = form.querySelector("[data-scan]");
  const panel = form.querySelector("[data-scanner]");
  const video = form.querySelector("[data-scanner-video]");
  const stop = form.querySelector("[data-scan-stop]");
  const status = form.querySelector("[data-scanner-status]");
  const canScan =
    "BarcodeDetector" in window &&
    navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function";
  if (!canScan || !scan) return;

  let stream = null;
  let timer = null;

  const close = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    panel.hidden = true;
    scan.hidden = false;
  };

  const found = (code) => {
    close();
    input.value = code.trim();
    form.submit();
  };

  const open = async () => {
    let detector;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) return;
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
    } catch (error) {
      if (status) status.textContent = String(error && error.message ? error.message : error);
      panel.hidden = false;
      return;
    }
    video.srcObject = stream;
    panel.hidden = false;
    scan.hidden = true;
    await video.play();
    const tick = async () => {
      if (!stream) return;
      try {
        const codes = await detector.detect(video);
        if (codes.length && codes[0].rawValue) {
          found(codes[0].rawValue);
          return;
        }
      } catch (_error) {
        // A frame that cannot be read yet: try the next one.
      }
      timer = setTimeout(tick, 250);
    };
    tick();
  };

  scan.hidden = false;
  scan.addEventListener("click", open);
  if (stop) stop.addEventListener("click", close);
  window.addEventListener("pagehide", close);
})();
