"""The notebooks' interactive demos: a plain, unit-tested draw/compute function per demo plus a thin
ipywidgets wrapper (``*_widget()``) that the notebook displays."""
