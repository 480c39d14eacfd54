"""Reminders: rules from the content, a pure planner, texts, durable paced delivery."""
