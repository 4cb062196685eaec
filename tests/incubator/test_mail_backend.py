from django.core.mail import EmailMessage

from incubator.mail import FileAndConsoleBackend


def test_each_message_gets_its_own_file_named_on_the_console(tmp_path, capsys):
    backend = FileAndConsoleBackend(file_path=str(tmp_path))
    first = EmailMessage("First", "one", "center@example.com", ["a@example.com"])
    second = EmailMessage("Second", "two", "center@example.com", ["b@example.com"])

    assert backend.send_messages([first]) == 1
    assert backend.send_messages([second]) == 1

    files = sorted(tmp_path.iterdir())
    assert len(files) == 2
    bodies = [f.read_text() for f in files]
    assert sum("Subject: First" in b for b in bodies) == 1
    assert sum("Subject: Second" in b for b in bodies) == 1
    console = capsys.readouterr().out.splitlines()
    named = {line.rsplit(" -> ", 1)[1] for line in console if line.startswith("[mail]")}
    assert named == {str(f) for f in files}


def test_messages_sent_together_are_written_apart(tmp_path):
    backend = FileAndConsoleBackend(file_path=str(tmp_path))
    messages = [EmailMessage(f"M{i}", "x", "c@example.com", ["a@example.com"]) for i in range(3)]

    assert backend.send_messages(messages) == 3
    assert len(list(tmp_path.iterdir())) == 3
