"""The lessons' interactive explorers, one module per lesson topic (``widgets`` holds the machinery).

- ``gradient_descent``  lesson 01: gradient descent in 1-D and 2-D
- ``sgd``               lesson 02: batch size, learning rate and seed on the bowl and the digits
- ``momentum``          lesson 03: SGD against momentum or Nesterov on the course's surfaces
- ``initialization``    lesson 05: activation histograms per layer, by activation, init, depth and width
- ``capstone``          lesson 06: one pairing of the grid, trained step by step
- ``diagnostics``       lesson 07: a learning rate on the range test's curve, next to the training it predicts

Lesson 04 uses ``widgets.surface_explorer`` directly.
"""
