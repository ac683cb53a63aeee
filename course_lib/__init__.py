"""course_lib: the helper package of the image-classification course.

One module per idea, named as the notebooks name it:

=======================  ===============================================  =====================
module                   idea                                             notebook
=======================  ===============================================  =====================
``datasets``, ``config``  the CIFAR-10 course subset, CIFAR-10, MNIST      01_pixels
``pixels``               images as numbers: flatten, grey, photo changes  01_pixels
``distances``            L1 / L2, distance matrices with 2 / 1 / 0 loops  02_knn
``knn``                  the k-nearest-neighbour classifier               02_knn
``metrics``              accuracy                                         02_knn
``cross_validation``     validation split, k-fold cross-validation        03_cross_validation
``linear_classifier``    scores = X @ W + b, the bias trick               04_linear_classifier
``losses``               hinge and softmax losses, regularisation         05_losses
``optimization``         numerical gradients, search, GD, minibatch SGD   06_optimization
``backpropagation``      a scalar autodiff engine (``Value``)             07_backpropagation
``neural_network``       an MLP on ``Value``; the same net with matrices  08_neural_network
``large_scale``          blocked / float32 distances, full-size k-NN      02 (why), tools
``checks``               the input checks every public function shares    all
``plots``                figure style, ``show_figure`` with alt text      all
``exercises``            check cells of the exercises                     all
``demos``                each notebook's figures and widgets              all
=======================  ===============================================  =====================

Conventions: ``X`` is ``(N, D)`` one sample per row, ``y`` ``(N,)`` integer labels in ``[0, C)``,
``W`` ``(D, C)``, ``b`` ``(C,)``, ``scores = X @ W + b`` ``(N, C)``, ``reg`` the regularisation
strength λ, ``learning_rate`` the step size, ``k`` the number of neighbours, ``num_folds`` the
folds of cross-validation, ``distance`` ``"l1"`` or ``"l2"``. Tools for instructors and CI live
outside the package, in ``tools/`` and ``benchmarks/``.
"""

__version__ = "0.2.0"
