"""The shared kit of the GUI: messages and failures, long work (tasks, workers), table export and table models,
the form dialog base, the date field, the status chip and colours, layout helpers, per-PC view settings."""
