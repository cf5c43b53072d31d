"""Pages and programs that combine domains: today, the timeline, search everywhere, `serve`."""
