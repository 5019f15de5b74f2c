"""What `nn-tui serve` needs to put the app in front of a class: who gets in (access),
how many (capacity), each tab's own autosave slot (slots), the pages the server
shows instead of the app (pages) and ending a tab's processes (processes). Plain stdlib; aiohttp only where a request is read."""
