#!/usr/bin/env python
"""Django's command-line utility for the incubator portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
    from django.core.management import execute_from_command_line

    from incubator.preflight import explain_service_errors

    with explain_service_errors():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
