// The login form after "slowed down: enter your password again in N seconds"
// (teams/throttle.py): <button data-retry-after="N"> is disabled for those N
// seconds, counting down, so the next try is not refused for being early.
// Without JavaScript the message says how long to wait; an early try only
// repeats it.
(function () {
  "use strict";

  var button = document.querySelector("button[data-retry-after]");
  if (!button) {
    return;
  }
  var label = button.textContent;
  var left = parseInt(button.getAttribute("data-retry-after"), 10) || 0;

  function tick() {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.disabled = true;
    button.textContent = label + " (" + left + ")";
    left -= 1;
    window.setTimeout(tick, 1000);
  }

  tick();
})();
