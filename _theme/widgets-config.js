/* Glue between the book's pages and the ipywidgets HTML manager (our own code).
 *
 * 1. RequireJS is told where the manager lives inside the book, so that the
 *    fonts it references are fetched from _static/html-manager/ (never a CDN,
 *    never the page's own folder).
 * 2. The manager typesets widget labels with the MathJax 2 call
 *    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book ships
 *    MathJax 3, so that call is mapped onto MathJax.typesetPromise. The shim is
 *    installed on "load", before the manager renders (its listener comes later).
 */
(function () {
  var here = document.currentScript.src;
  var managerDir = new URL("html-manager", here).href;
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": managerDir } });

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
