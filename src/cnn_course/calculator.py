"""An output-size calculator that runs in the reader's browser, with no Python kernel (chapter 4).

The site of the course is static: ipywidgets need a running kernel (and a widget manager from a
CDN), so on the page they are blank. :func:`output_size_calculator_html` returns a small HTML form
with its own inline JavaScript, shown by ``IPython.display.HTML`` in a notebook cell: it works on
the static site, offline, in Jupyter and in Colab alike.

The page contract, which the browser test relies on: a ``<form class="output-size-calculator">``
with ``<input type="number">`` fields named ``n``, ``kernel`` and ``stride``, a ``<select
name="padding">`` with the options ``valid`` and ``same``, and an ``<output name="result">`` whose
text is the rule with the numbers filled in, ending with the output size, as
:func:`cnn_course.strides.explain_output_size` writes it (``valid: floor((13 - 6) / 5) + 1 =
floor(1.4) + 1 = 2``). It recomputes on every ``input`` and ``change`` event; an input it cannot use
(empty, zero, a fraction, a "valid" kernel wider than the input) gets a short message instead.
"""

from __future__ import annotations

import html

from cnn_course.conv import _check_padding

# The rule of cnn_course.conv.conv_output_size and the wording of cnn_course.strides.explain_output_size,
# in JavaScript. `outputSize` returns {size, text} or {error}.
_SCRIPT = """
(function () {
  function short(x) {
    return x.toFixed(2).replace(/0+$/, "").replace(/\\.$/, "");
  }
  function outputSize(n, f, s, padding) {
    var whole = [n, f, s].every(function (v) { return Number.isInteger(v) && v >= 1; });
    if (!whole) {
      return {error: "Enter whole numbers of at least 1 for the inputs, the kernel and the stride."};
    }
    if (padding === "same") {
      var out = Math.ceil(n / s);
      var step = n % s === 0 ? "" : "ceil(" + short(n / s) + ") = ";
      return {size: out, text: "same: ceil(" + n + " / " + s + ") = " + step + out};
    }
    if (f > n) {
      return {error: "valid: a kernel of " + f + " does not fit in " + n +
                     " inputs; choose a smaller kernel or \\"same\\" padding."};
    }
    var size = Math.floor((n - f) / s) + 1;
    var rounding = (n - f) % s === 0 ? "" : "floor(" + short((n - f) / s) + ") + 1 = ";
    return {size: size, text: "valid: floor((" + n + " - " + f + ") / " + s + ") + 1 = " + rounding + size};
  }
  function read(field) {
    var text = field.value.trim();
    return text === "" ? NaN : Number(text);
  }
  function update(form) {
    var answer = outputSize(read(form.elements.n), read(form.elements.kernel), read(form.elements.stride),
                            form.elements.padding.value);
    form.elements.result.value = answer.error || answer.text;
  }
  if (typeof document !== "undefined") {
    var forms = document.querySelectorAll("form.output-size-calculator:not([data-ready])");
    Array.prototype.forEach.call(forms, function (form) {
      form.setAttribute("data-ready", "");
      form.addEventListener("input", function () { update(form); });
      form.addEventListener("change", function () { update(form); });
      form.addEventListener("submit", function (event) { event.preventDefault(); update(form); });
      update(form);
    });
  }
  if (typeof module !== "undefined") { module.exports = {outputSize: outputSize}; }
})();
"""

_FIELD = ('<label style="margin-right:1em">{label} <input type="number" name="{name}" value="{value}" '
          'min="1" step="1" style="width:5em"></label>')


def output_size_calculator_script() -> str:
    """The calculator's JavaScript alone (tests run it with Node.js; it exports ``outputSize`` there)."""
    return _SCRIPT


def output_size_calculator_html(n: int = 13, kernel_size: int = 6, stride: int = 5,
                                padding: str = "valid") -> str:
    """The calculator as an HTML string: a form, prefilled with these values, and its inline script.

    Show it in a notebook with ``IPython.display.HTML(output_size_calculator_html())``. The result is
    computed in the browser when the page loads and again whenever a field changes.
    """
    padding = _check_padding(padding)
    fields = "".join(_FIELD.format(label=html.escape(label), name=name, value=int(value))
                     for label, name, value in (("inputs n", "n", n), ("kernel f", "kernel", kernel_size),
                                                ("stride s", "stride", stride)))
    options = "".join(f'<option value="{p}"{" selected" if p == padding else ""}>{p}</option>'
                      for p in ("valid", "same"))
    return (
        '<form class="output-size-calculator" style="border:1px solid #999;border-radius:6px;padding:0.8em;'
        'margin:0.5em 0;font-family:sans-serif" onsubmit="return false">'
        f'<p style="margin:0 0 0.5em 0"><strong>Output size along one axis</strong></p>{fields}'
        f'<label>padding <select name="padding">{options}</select></label>'
        '<p style="margin:0.6em 0 0 0">output size: '
        '<output name="result" style="font-family:monospace;font-weight:bold" aria-live="polite">'
        '(needs JavaScript)</output></p>'
        f"</form>\n<script>{_SCRIPT}</script>"
    )


__all__ = ["output_size_calculator_html", "output_size_calculator_script"]
