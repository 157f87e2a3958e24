"""The optimisation behind `planner optimize` (see `planner.optimize`): year facts (`data`),
the mixed-integer model (`model`, `lp`), the switch search (`search`, `seeds`), gain shares
(`shares`), the schedule a solution stands for (`extract`), what binds (`explain`), and the
built-in strategies used as starting points and yardsticks (`compare`)."""
