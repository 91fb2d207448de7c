# fish completion for evsend
# Generated from evsend's command tree (`evsend completion <shell>`, `npm run completions`); do not edit.
# Install: copy it to ~/.config/fish/completions/evsend.fish

# __evsend_node PATH: the subcommands of the command PATH, its options (its own and the global
# ones), those that take a value, and what its operands complete to.
function __evsend_node
    switch "$argv"
        case ''
            set -g __evsend_cmds 'devo' 'databoom' 'eventhos' 'guance' 'config' 'emulate' 'completion' 'help'
            set -g __evsend_cmd_lines 'devo	Devo HTTP endpoint: single events and streamed files' 'databoom	Databoom signal push: current values, and history from CSV or NDJSON' 'eventhos	Eventhos: JSON events that trigger contracts on other systems' 'guance	Guance (TrueWatch) external event monitor: push events' 'config	the resolved profile, where each value comes from, a template; sends nothing' 'emulate	a local receiver that speaks the Devo, Databoom, Eventhos and Guance APIs on one port, prints and records what it receives — try evsend, or test a pipeline, without an account' 'completion	print the shell completion script for bash, zsh or fish' 'help	show help for a command, e.g. help devo send'
            set -g __evsend_opt_lines '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)' '-h	show help' '--help	show help'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo'
            set -g __evsend_cmds 'send' 'file' 'help'
            set -g __evsend_cmd_lines 'send	send one event (Devo event mode); 2xx means the event was accepted' 'file	stream lines from files, globs or stdin (Devo stream mode), in batches under 32 MB' 'help	show help for a command, e.g. help send'
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo send'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--method	HTTP method; the message is the query string either way' '--endpoint	Devo region (us, us3, eu, ca, ap, ap2) or a base URL' '--domain	Devo domain, e.g. acme' '--tag	Devo tag, e.g. my.app.web.access' '--host	host name sent with the events' '--token-file	read the Devo token from this file; - reads it from stdin' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--method' '--endpoint' '--domain' '--tag' '--host' '--token-file' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--exclude	leave out files matching this glob; one without / matches names at any depth (repeatable)' '--batch-size	largest uncompressed body of a request of several lines, 1k to 32m (32m: Devo\'s limit, 32,000,000 bytes); a longer line goes alone in its own request' '--gzip	gzip-compress request bodies' '--no-gzip	send uncompressed even if env or profile say gzip' '--gzip-level	gzip compression level' '--concurrency	requests in flight at most, 1 to 64; reading pauses while all are busy' '--state	remember in this file how far each input file was delivered; the next run sends only what is new (see README › Checkpoints)' '--rejects	append the records that cannot be delivered (too long, invalid) to this file, as read, to send again with the same command' '--follow	keep reading what is appended, like tail -F: rotated files and new files matching the globs too, until Ctrl-C (see README › Following)' '--flush-interval	with --follow: send a partial batch after this long' '--idle-timeout	with --follow: exit 0 after this long with nothing new (everything sent, state saved)' '--endpoint	Devo region (us, us3, eu, ca, ap, ap2) or a base URL' '--domain	Devo domain, e.g. acme' '--tag	Devo tag, e.g. my.app.web.access' '--host	host name sent with the events' '--token-file	read the Devo token from this file; - reads it from stdin' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--exclude' '--batch-size' '--gzip-level' '--concurrency' '--state' '--rejects' '--flush-interval' '--idle-timeout' '--endpoint' '--domain' '--tag' '--host' '--token-file' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'devo help'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'send' 'file'
        case 'databoom'
            set -g __evsend_cmds 'push' 'history' 'help'
            set -g __evsend_cmd_lines 'push	send the current values of a device\'s signals in one request' 'history	send historical points from CSV or NDJSON files, globs or stdin, in batches' 'help	show help for a command, e.g. help push'
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom push'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--date	when the values were measured: ISO 8601 (no offset = local time), epoch seconds or ms, or now; without it Databoom uses the time it receives them' '--allow-text	send values that are not numbers as text instead of refusing them' '--device	the device token, from its page in Databoom' '--url	API base URL, for on-premise installations' '--token-file	read the OAuth token (Publish permission) from this file; - reads it from stdin' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--date' '--device' '--url' '--token-file' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--format	csv or ndjson; needed for stdin and for names not ending in .csv, .ndjson or .jsonl (.gz)' '--exclude	leave out files matching this glob; one without / matches names at any depth (repeatable)' '--batch-points	most points in one request, 1 to 1000000' '--concurrency	requests in flight at most, 1 to 64' '--state	remember in this file how far each input file was delivered; the next run sends only what is new (see README › Checkpoints)' '--rejects	append the records that cannot be delivered (too long, invalid) to this file, as read, to send again with the same command' '--follow	keep reading what is appended, like tail -F: rotated files and new files matching the globs too, until Ctrl-C (see README › Following)' '--flush-interval	with --follow: send a partial batch after this long' '--idle-timeout	with --follow: exit 0 after this long with nothing new (everything sent, state saved)' '--allow-text	send values that are not numbers as text instead of rejecting the row' '--delimiter	CSV field separator: one character, or tab' '--device	the device token, from its page in Databoom' '--url	API base URL, for on-premise installations' '--token-file	read the OAuth token (Publish permission) from this file; - reads it from stdin' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--format' '--exclude' '--batch-points' '--concurrency' '--state' '--rejects' '--flush-interval' '--idle-timeout' '--delimiter' '--device' '--url' '--token-file' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'databoom help'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'push' 'history'
        case 'eventhos'
            set -g __evsend_cmds 'send' 'help'
            set -g __evsend_cmd_lines 'send	send one JSON event; a 2xx means Eventhos stored it' 'help	show help for a command, e.g. help send'
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--data-file	read the event from this file; - reads stdin' '--max-body	refuse events larger than this (warning above 1 MiB)' '--ndjson	send many events from files, globs or - (stdin): one JSON object or array per line, each its own request; .gz read decompressed' '--exclude	with --ndjson: leave out files matching this glob (repeatable)' '--concurrency	with --ndjson: requests in flight at most, 1 to 64' '--state	with --ndjson: remember in this file how far each input file was delivered; the next run sends only what is new (see README › Checkpoints)' '--rejects	with --ndjson: append the records that cannot be delivered (too long, invalid) to this file, as read, to send again with the same command' '--follow	with --ndjson: keep reading what is appended, like tail -F: rotated files and new files matching the globs too, until Ctrl-C (see README › Following)' '--flush-interval	with --ndjson --follow: send a partial batch after this long' '--idle-timeout	with --ndjson --follow: exit 0 after this long with nothing new (everything sent, state saved)' '--url	base URL of your Eventhos server (no default)' '--event	event identifier, e.g. order-created-9O_CE0Lcrz' '--access-key-file	read the long-lived access key from this file; - reads it from stdin' '--client-id	client id, for client credentials' '--client-secret-file	read the client secret from this file; - reads it from stdin' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--data-file' '--max-body' '--ndjson' '--exclude' '--concurrency' '--state' '--rejects' '--flush-interval' '--idle-timeout' '--url' '--event' '--access-key-file' '--client-id' '--client-secret-file' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic '--ndjson'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos help'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'send'
        case 'guance'
            set -g __evsend_cmds 'push' 'help'
            set -g __evsend_cmd_lines 'push	push one external event; the field rules are checked before sending' 'help	show help for a command, e.g. help push'
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--status	event status: critical, error, warning, info, ok, fatal (required without --event-json or --ndjson)' '--title	event title' '--message	event content (markdown); - reads it from stdin' '--date	event time: ISO 8601, epoch seconds or now; default Guance\'s now' '--check-value	the checked value' '--tag	a dimension tag (repeatable)' '--field	a user-defined top-level field, string value, name e.g. ext_team (repeatable)' '--extra	extra data, in df_meta.extra_data (repeatable)' '--event-json	the whole event as JSON: {"event":{…},"extraData":{…}} or the event alone; - reads stdin' '--ndjson	push many events from files, globs or - (stdin): one JSON event per line (the event, or {event, extraData}); .gz read decompressed' '--exclude	with --ndjson: leave out files matching this glob (repeatable)' '--rate	with --ndjson: push at most n events a minute, evenly spaced' '--state	with --ndjson: remember in this file how far each input file was delivered; the next run sends only what is new (see README › Checkpoints)' '--rejects	with --ndjson: append the records that cannot be delivered (too long, invalid) to this file, as read, to send again with the same command' '--follow	with --ndjson: keep reading what is appended, like tail -F: rotated files and new files matching the globs too, until Ctrl-C (see README › Following)' '--flush-interval	with --ndjson --follow: send a partial batch after this long' '--idle-timeout	with --ndjson --follow: exit 0 after this long with nothing new (everything sent, state saved)' '--site	Guance site: cn1, cn2, cn4, cn5, cn6, us1, eu1, ap1, za1, id1, me1, truewatch-us1, truewatch-eu1, truewatch-ap1, truewatch-za1, truewatch-id1' '--url	OpenAPI host of a private deployment, or the monitor\'s webhook URL (it holds the secret: prefer the variable or profile)' '--secret-file	read the monitor\'s secret from this file; - reads it from stdin' '--sub-uri	the monitor\'s subUri, e.g. datakit/push' '--api-key-file	read the API Key secret (sent as DF-API-KEY) from this file; optional' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--status' '--title' '--message' '--date' '--check-value' '--tag' '--field' '--extra' '--event-json' '--ndjson' '--exclude' '--rate' '--state' '--rejects' '--flush-interval' '--idle-timeout' '--site' '--url' '--secret-file' '--sub-uri' '--api-key-file' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic '--ndjson'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance help'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'push'
        case 'config'
            set -g __evsend_cmds 'show' 'path' 'init' 'check' 'help'
            set -g __evsend_cmd_lines 'show	each service\'s settings, each with its source; secrets masked' 'path	the config file in use (or where evsend looked)' 'init	write a commented template to the user config file (or --config), mode 600' 'check	resolve what each command needs and try each secret; exit 3 if anything is wrong' 'help	show help for a command, e.g. help show'
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'config show'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'devo' 'databoom' 'eventhos' 'guance'
        case 'config path'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'config init'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'config check'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'devo' 'databoom' 'eventhos' 'guance'
        case 'config help'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'show' 'path' 'init' 'check'
        case 'emulate'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '--port	TCP port to listen on; 0 picks a free one and prints it' '--host	address to listen on; 0.0.0.0 or :: also accepts other machines' '--devo-token	accept only this made-up test token in Devo requests (401 for any other; without it, any token); never a real token: flag values show in ps. Never printed' '--databoom-token	accept only this made-up test token as Databoom\'s Bearer token (401 for any other; without it, any token); never a real token: flag values show in ps. Never printed' '--guance-secret	record only Guance pushes to this made-up secret; others get a 200 that records nothing, as Guance does (without it, any secret). Never printed' '--guance-api-key	require this made-up DF-API-KEY in Guance pushes (403 ft.InvalidAPIKey otherwise; without it, any key or none). Never printed' '--guance-rate-limit	answer Guance pushes past n a minute with HTTP 401 and the rate-limit errorCode, to test retries and --rate pacing' '--eventhos-config	JSON file of the Eventhos events and clients to emulate ({ events, clients, expiresIn, lockoutSeconds }; see README › evsend eventhos send); without it any event identifier and any key work' '--fail-rate	answer this share of API requests with an error instead (0.3 or 30%)' '--fail-status	statuses for --fail-rate, one picked at random each time' '--drop-rate	destroy the connection of this share of API requests, without an answer' '--latency	wait this long before answering each API request' '--retry-after	send Retry-After with each --fail-rate error' '--seed	seed of the random choices, to repeat a run exactly' '--max-stored	bytes of events (as JSON) kept for GET /_emulator/events; the oldest are forgotten first' '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '--port' '--host' '--devo-token' '--databoom-token' '--guance-secret' '--guance-api-key' '--guance-rate-limit' '--eventhos-config' '--fail-rate' '--fail-status' '--drop-rate' '--latency' '--retry-after' '--seed' '--max-stored' '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'completion'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'bash' 'zsh' 'fish'
        case 'help'
            set -g __evsend_cmds 
            set -g __evsend_cmd_lines 
            set -g __evsend_opt_lines '-h	show help' '--help	show help' '-V	print the version, node\'s and the platform' '--version	print the version, node\'s and the platform' '-p	profile from the config file' '--profile	profile from the config file' '-c	use this config file, skip the search' '--config	use this config file, skip the search' '--json	NDJSON on stdout; the last line is a summary or error object' '-q	print only warnings and errors' '--quiet	print only warnings and errors' '-v	log every request (masked) and show stack traces' '--verbose	log every request (masked) and show stack traces' '-n	print the requests that would be sent; send nothing' '--dry-run	print the requests that would be sent; send nothing' '--timeout	per-request timeout, e.g. 500ms, 30s, 5m' '--retries	retries on network errors, 408, 429 and 5xx' '--ca-file	extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too' '--no-color	no colours (also NO_COLOR, or when not a terminal)'
            set -g __evsend_valued '-p' '--profile' '-c' '--config' '--timeout' '--retries' '--ca-file'
            set -g __evsend_variadic 
            set -g __evsend_operand words
            set -g __evsend_words 'devo' 'databoom' 'eventhos' 'guance' 'config' 'emulate' 'completion'
    end
end

# __evsend_value PATH OPTION: what the value of OPTION of the command PATH completes to.
function __evsend_value
    set -g __evsend_operand none
    set -g __evsend_words
    switch "$argv[1]|$argv[2]"
        case 'devo send|--method'
            set -g __evsend_operand words
            set -g __evsend_words 'get' 'post'
        case 'devo send|--endpoint'
            set -g __evsend_operand words
            set -g __evsend_words 'us' 'us3' 'eu' 'ca' 'ap' 'ap2'
        case 'devo send|--domain'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo send|--tag'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo send|--host'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo send|--token-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'devo file|--exclude'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'devo file|--batch-size'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--gzip-level'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--concurrency'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--state'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'devo file|--rejects'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'devo file|--flush-interval'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--idle-timeout'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--endpoint'
            set -g __evsend_operand words
            set -g __evsend_words 'us' 'us3' 'eu' 'ca' 'ap' 'ap2'
        case 'devo file|--domain'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--tag'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--host'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'devo file|--token-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'databoom push|--date'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom push|--device'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom push|--url'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom push|--token-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'databoom history|--format'
            set -g __evsend_operand words
            set -g __evsend_words 'csv' 'ndjson'
        case 'databoom history|--exclude'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'databoom history|--batch-points'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--concurrency'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--state'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'databoom history|--rejects'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'databoom history|--flush-interval'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--idle-timeout'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--delimiter'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--device'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--url'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'databoom history|--token-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--data-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--max-body'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--ndjson'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--exclude'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--concurrency'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--state'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--rejects'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--flush-interval'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--idle-timeout'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--url'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--event'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--access-key-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'eventhos send|--client-id'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'eventhos send|--client-secret-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'guance push|--status'
            set -g __evsend_operand words
            set -g __evsend_words 'critical' 'error' 'warning' 'info' 'ok' 'fatal'
        case 'guance push|--title'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--message'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--date'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--check-value'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--tag'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--field'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--extra'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--event-json'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--ndjson'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'guance push|--exclude'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'guance push|--rate'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--state'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'guance push|--rejects'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'guance push|--flush-interval'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--idle-timeout'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--site'
            set -g __evsend_operand words
            set -g __evsend_words 'cn1' 'cn2' 'cn4' 'cn5' 'cn6' 'us1' 'eu1' 'ap1' 'za1' 'id1' 'me1' 'truewatch-us1' 'truewatch-eu1' 'truewatch-ap1' 'truewatch-za1' 'truewatch-id1'
        case 'guance push|--url'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--secret-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'guance push|--sub-uri'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'guance push|--api-key-file'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'emulate|--port'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--host'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--devo-token'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--databoom-token'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--guance-secret'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--guance-api-key'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--guance-rate-limit'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--eventhos-config'
            set -g __evsend_operand file
            set -g __evsend_words 
        case 'emulate|--fail-rate'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--fail-status'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--drop-rate'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--latency'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--retry-after'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--seed'
            set -g __evsend_operand none
            set -g __evsend_words 
        case 'emulate|--max-stored'
            set -g __evsend_operand none
            set -g __evsend_words 
        case '*|-p' '*|--profile'
            set -g __evsend_operand profile
            set -g __evsend_words 
        case '*|-c' '*|--config'
            set -g __evsend_operand file
            set -g __evsend_words 
        case '*|--timeout'
            set -g __evsend_operand none
            set -g __evsend_words 
        case '*|--retries'
            set -g __evsend_operand none
            set -g __evsend_words 
        case '*|--ca-file'
            set -g __evsend_operand file
            set -g __evsend_words 
    end
end

# __evsend_reply PREFIX KIND WORDS...: the candidates for the current word as KIND.
function __evsend_reply
    set -l prefix $argv[1]
    set -l cur (string sub --start (math (string length -- "$prefix") + 1) -- (commandline -ct))
    switch $argv[2]
        case file
            for candidate in (__fish_complete_path $cur)
                printf '%s%s\n' $prefix $candidate
            end
        case profile
            # The profiles of the config file this command line would use (--config,
            # EVSEND_CONFIG or the search), from evsend itself; nothing when there is none.
            set -l config_args
            test -n "$__evsend_config"; and set config_args --config $__evsend_config
            for name in (command $__evsend_program $config_args __profiles 2>/dev/null)
                printf '%s%s\n' $prefix $name
            end
        case words
            for word in $argv[3..-1]
                printf '%s%s\n' $prefix $word
            end
    end
end

function __evsend_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -g __evsend_program $tokens[1]
    set -g __evsend_config
    set -l cmdpath ''
    set -l pending ''
    set -l variadic ''
    for word in $tokens[2..-1]
        if test -n "$pending"
            contains -- $pending -c --config; and set __evsend_config $word
            contains -- $pending $__evsend_variadic; and set variadic $pending
            set pending ''
            continue
        end
        __evsend_node $cmdpath
        switch $word
            case '--config=*'
                set __evsend_config (string replace -- '--config=' '' $word)
            case '-*'
                set variadic ''
                contains -- $word $__evsend_valued; and set pending $word
            case '*'
                if test -z "$variadic"; and contains -- $word $__evsend_cmds
                    set cmdpath (string trim -- "$cmdpath $word")
                end
        end
    end
    __evsend_node $cmdpath
    set -l option $pending
    test -z "$option"; and set option $variadic
    if test -z "$pending"; and string match -q -- '--*=*' $cur
        # --option=value: the value after the =.
        set option (string replace -r -- '=.*' '' $cur)
        contains -- $option $__evsend_valued; or return
        __evsend_value $cmdpath $option
        __evsend_reply "$option=" $__evsend_operand $__evsend_words
    else if test -n "$option"; and begin; test -n "$pending"; or not string match -q -- '-*' $cur; end
        __evsend_value $cmdpath $option
        __evsend_reply '' $__evsend_operand $__evsend_words
    else if string match -q -- '-*' $cur
        printf '%s\n' $__evsend_opt_lines
    else if test (count $__evsend_cmds) -gt 0
        printf '%s\n' $__evsend_cmd_lines
    else
        __evsend_reply '' $__evsend_operand $__evsend_words
    end
end

complete -c evsend -e
complete -c evsend -f -a '(__evsend_complete)'
