"""Reading settings."""


def parse_config(text):
    """Read settings from configuration text: one key and value per line."""
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def load_settings(path):
    """Read the configuration file at a path and parse its settings."""
    with open(path) as file:
        return parse_config(file.read())
