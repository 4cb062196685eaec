import datetime
import os
import sys
import uuid

from django.core.mail.backends.filebased import EmailBackend


class FileAndConsoleBackend(EmailBackend):
    """Write each e-mail to its own file under var/mail/ and name it on the console.

    The default for a local run: a newcomer sees that mail went out and can
    open it, and nothing leaves the machine.
    """

    def send_messages(self, email_messages):
        # Django's file backend writes every message of a connection (and of one
        # second) into one file; here each message gets its own.
        sent = 0
        for message in email_messages or ():
            try:
                self._fname = self._message_filename()
                with self._lock, open(self._fname, "ab") as stream:
                    self.stream = stream
                    self.write_message(message)
                sent += 1
            except Exception:
                if not self.fail_silently:
                    raise
            finally:
                self.stream = None
        return sent

    def write_message(self, message):
        super().write_message(message)
        sys.stdout.write(f"[mail] to {', '.join(message.to)}: {message.subject} -> {self._fname}\n")

    def _message_filename(self):
        timestamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        return os.path.join(self.file_path, f"{timestamp}-{uuid.uuid4().hex}.log")
