"""Mental Model Atlas: load, validate and link a catalogue of mental models, and publish it."""
