import sys

from django.core.mail.backends.filebased import EmailBackend


class FileAndConsoleBackend(EmailBackend):
    """Write each e-mail to a file under var/mail/ and name it on the console.

    The default for a local run: a newcomer sees that mail went out and can
    open it, and nothing leaves the machine.
    """

    def write_message(self, message):
        super().write_message(message)
        sys.stdout.write(f"[mail] to {', '.join(message.to)}: {message.subject} -> {self._fname}\n")
