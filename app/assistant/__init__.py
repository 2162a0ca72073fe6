"""The studio's AI assistant: Anthropic's Messages API with tools over the current studio's data."""
