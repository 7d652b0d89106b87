"""Tests of the research side: sweep specs, designs, the sweep runner, batches and reports."""
