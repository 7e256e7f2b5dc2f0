"""The lessons' experiments: settings tables and the small runners built on them, each defined once.

A lesson notebook and the tests that guard its claims import the same table from here, so they run exactly
the same experiment. One module per lesson topic:

- ``gradient_descent``  lesson 01: the settings of its experiments, and how to read a shrink factor
- ``sgd``             lesson 02: the anisotropic bowl as a data set of samples, minibatch SGD on it
- ``momentum``        lesson 03: the sqrt(kappa) speed-up grids, the momentum sweep, the note's settings
- ``adaptive``        lesson 04: the race's surfaces and settings, the digits comparison
- ``initialization``  lesson 05: a deep stack of equal layers, the initializers compared
- ``capstone``        lesson 06: the optimizer x initializer grid, the mystery runs
- ``diagnostics``     lesson 07: the range test and its sweep, activation statistics, LSUV, the edge of stability
"""
