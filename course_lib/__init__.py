"""course_lib: the helper package of the image-classification course.

One module per idea, named as the notebooks name them:

==========================  =====================================  ==================
module                      idea                                   notebook
==========================  =====================================  ==================
``datasets``                MNIST (offline default) and CIFAR-10   01_pixels
``images``                  pixels, channels, transformations      01_pixels
``plots``                   shared figure style and image grids    all
``metrics``                 accuracy                               02_knn
``distances``               L1 / L2 distances, three ways          02_knn
``knn``                     the k-nearest-neighbour classifier     02_knn
``model_selection``         splits, k-fold cross-validation        03_cross_validation
``linear``                  scores = X @ W + b, the bias trick     04_linear_classifier
``losses``                  hinge, softmax, regularisation         05_losses
``gradients``               numerical gradients, gradient check    06_optimization
``optim``                   random search, (minibatch) SGD         06_optimization
``training_plot``           live loss / accuracy curves            06_optimization
``graph``                   a scalar autodiff engine (backprop)    07_backpropagation
``demos``                   the notebooks' interactive widgets     all
``exercises``               checks for the exercise cells          all
``config``                  dataset choice, per-notebook sizes     all
``run_notebooks``           headless runner for instructors        (command line)
``benchmarks``              CIFAR-10 results, full-size k-NN       (command line)
==========================  =====================================  ==================

Conventions (the same in every module and notebook): ``X`` is ``(N, D)`` with one sample per
row, ``y`` is ``(N,)`` integer labels in ``[0, C)``, ``W`` is ``(D, C)``, ``b`` is ``(C,)``,
``scores = X @ W + b`` is ``(N, C)``, ``reg`` is the regularisation strength λ,
``learning_rate`` is the step size, ``k`` the number of neighbours, ``num_folds`` the number
of cross-validation folds.
"""

__version__ = "0.1.0"
