/* Glue between the book's pages and the ipywidgets HTML manager (our own code).
 *
 * The widget manager (_static/html-manager/embed.js, which fetches its icon
 * fonts from its own folder, never a CDN) typesets widget labels with the
 * MathJax 2 call MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the
 * book ships MathJax 3, so that call is mapped onto MathJax.typesetPromise.
 * The shim is installed on "load", before the manager renders (this script is
 * loaded first, so its listener runs first).
 */
(function () {
  window.addEventListener("load", function () {
    var mj = window.MathJax;
    if (mj && !mj.Hub) {
      mj.Hub = {
        Queue: function () {
          for (var i = 0; i < arguments.length; i++) {
            var job = arguments[i];
            if (Array.isArray(job) && job[0] === "Typeset" && mj.typesetPromise) {
              mj.typesetPromise([job[2]]).catch(function (err) { console.warn(err); });
            }
          }
        }
      };
    }
  });
})();
