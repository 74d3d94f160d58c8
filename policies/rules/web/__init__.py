"""App Service web and function apps."""
