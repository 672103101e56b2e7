"""m-FILTER (Digital Arts), a Japanese mail filter gateway: "failure notice" in Japanese.

The failed addresses follow the sentence "以下のメールアドレスへの送信に失敗しました。",
the server's reply follows "-------server message", the SMTP command "-------SMTP command";
the original's headers follow "-------original mail info".
"""

from __future__ import annotations

import re
from dataclasses import replace

from bounced.model import Detection
from bounced.parse.mime import Mail
from bounced.parse.textscan import addresses_in, finding_from_text

PRIORITY = 30

_START = re.compile(r"以下のメールアドレスへの送信に失敗しました。")
_SECTION = re.compile(r"^-{7}(server message|SMTP command|original mail info)[ \t]*$", re.M)


class MFilter:
    name = "mfilter"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        start = _START.search(text)
        if start is None:
            return Detection(self.name)
        sections = list(_SECTION.finditer(text, start.end()))
        listed = text[start.end() : sections[0].start() if sections else start.end() + 2000]
        parts = {
            m.group(1): text[m.end() : sections[i + 1].start() if i + 1 < len(sections) else m.end() + 2000]
            for i, m in enumerate(sections)
        }
        said = parts.get("server message", "").strip()
        command = parts.get("SMTP command", "").strip().split("\n")[0].strip().upper() or None
        findings = []
        for address in addresses_in(listed):
            finding = finding_from_text(address, said)
            findings.append(finding if finding.command or not command else replace(finding, command=command))
        return Detection(self.name, tuple(findings))


DETECTOR = MFilter()
