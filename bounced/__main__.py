from bounced.cli import cli

cli()
