#!/usr/bin/env python3
"""Sign in to the Finesse emulator's XMPP service with slixmpp (a client nobody here wrote),
change the agent's state over REST, and wait for the matching User event.

Prints exactly one JSON line on stdout, e.g.
  {"ok": true, "client": "slixmpp", "transport": "starttls", "finesse_presence": "available",
   "state": "READY", "event_node": "/finesse/api/User/1001", ...}
and exits 0 on success, 1 on failure, 2 when slixmpp is missing.
"""
import argparse
import asyncio
import base64
import json
import logging
import ssl
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

try:
    import slixmpp
    from slixmpp.xmlstream.handler import Callback
    from slixmpp.xmlstream.matcher import MatchXPath
except ImportError as missing:  # reported as a result line, never a silent pass
    print(json.dumps({"ok": False, "client": "slixmpp", "error": f"slixmpp is not installed: {missing}"}))
    sys.exit(2)

PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
PUBSUB = "http://jabber.org/protocol/pubsub"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", required=True, help="address to connect to")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--transport", choices=["starttls", "tls"], required=True)
    p.add_argument("--domain", required=True, help="XMPP domain (SystemInfo xmppDomain)")
    p.add_argument("--user", required=True, help="agent id")
    p.add_argument("--password", required=True)
    p.add_argument("--extension", required=True)
    p.add_argument("--resource", default="slixmpp-interop")
    p.add_argument("--ca", required=True, help="CA certificate file (PEM)")
    p.add_argument("--rest-url", required=True, help="https://host:port/finesse/api")
    p.add_argument("--timeout", type=float, default=30.0)
    return p.parse_args()


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child_text(element, name):
    for child in element:
        if local(child.tag).lower() == name.lower():
            return (child.text or "").strip()
    return None


class Probe(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(f"{args.user.lower()}@{args.domain}/{args.resource}", args.password)
        self.args = args
        self.loop_result = self.loop.create_future()
        self.finesse_presence = self.loop.create_future()
        self.events = []
        self.ready_event = self.loop.create_future()
        self.ca_certs = args.ca
        self.enable_direct_tls = args.transport == "tls"
        self.enable_starttls = args.transport == "starttls"
        self.enable_plaintext = False
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("failed_auth", self.on_failed_auth)
        self.add_event_handler("presence", self.on_presence)
        self.register_handler(
            Callback(
                "finesse pubsub event",
                MatchXPath(f"{{{self.default_ns}}}message/{{{PUBSUB_EVENT}}}event"),
                self.on_pubsub_event,
            )
        )

    async def on_session_start(self, _event):
        self.send_presence(ppriority=0)
        try:
            await self.get_roster(timeout=self.args.timeout)
        except Exception as error:  # noqa: BLE001 - reported in the result line
            self.fail(f"roster request failed: {error!r}")

    def on_failed_auth(self, _event):
        self.fail("authentication failed")

    def on_presence(self, presence):
        if presence["from"].bare == f"finesse@{self.args.domain}" and not self.finesse_presence.done():
            kind = "unavailable" if presence["type"] == "unavailable" else "available"
            self.finesse_presence.set_result(kind)

    def on_pubsub_event(self, message):
        items = message.xml.find(f"{{{PUBSUB_EVENT}}}event/{{{PUBSUB_EVENT}}}items")
        if items is None:
            return
        node = items.get("node")
        for notification in items.iter(f"{{{PUBSUB}}}notification"):
            update = ET.fromstring(notification.text or "")
            data = next((c for c in update if local(c.tag).lower() == "data"), None)
            user = None if data is None else next((c for c in data if local(c.tag).lower() == "user"), None)
            state = None if user is None else child_text(user, "state")
            self.events.append({"node": node, "state": state, "to": str(message["to"])})
            if (
                node == f"/finesse/api/User/{self.args.user}"
                and state == "READY"
                and not self.ready_event.done()
            ):
                self.ready_event.set_result({"node": node, "state": state, "to": str(message["to"])})

    def fail(self, reason):
        for future in (self.finesse_presence, self.ready_event):
            if not future.done():
                future.set_exception(RuntimeError(reason))


def rest_put(args, body):
    context = ssl.create_default_context(cafile=args.ca)
    credentials = base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
    request = urllib.request.Request(
        f"{args.rest_url}/User/{args.user}",
        data=body.encode(),
        method="PUT",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/xml",
            "requestId": "slixmpp-interop",
        },
    )
    with urllib.request.urlopen(request, context=context, timeout=args.timeout) as response:
        return response.status


async def run(args):
    probe = Probe(args)
    result = {"client": "slixmpp", "transport": args.transport, "ok": False}
    probe.connect(args.host, args.port)
    try:
        result["finesse_presence"] = await asyncio.wait_for(probe.finesse_presence, args.timeout)
        loop = asyncio.get_running_loop()
        login = f"<User><state>LOGIN</state><extension>{args.extension}</extension></User>"
        result["login_status"] = await loop.run_in_executor(None, rest_put, args, login)
        ready = "<User><state>READY</state></User>"
        result["ready_status"] = await loop.run_in_executor(None, rest_put, args, ready)
        event = await asyncio.wait_for(probe.ready_event, args.timeout)
        result.update(
            ok=result["finesse_presence"] == "available",
            state=event["state"],
            event_node=event["node"],
            event_to=event["to"],
        )
    except asyncio.TimeoutError:
        result["error"] = "timed out"
    except (RuntimeError, urllib.error.URLError, ssl.SSLError, OSError) as error:
        result["error"] = str(error)
    result["events_seen"] = probe.events
    probe.disconnect()
    try:
        await asyncio.wait_for(probe.disconnected, 5)
    except (asyncio.TimeoutError, AttributeError, TypeError):
        pass
    return result


def main():
    args = parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = asyncio.run(run(args))
    print(json.dumps(result), flush=True)
    sys.exit(0 if result.get("ok") else 1)


if __name__ == "__main__":
    main()
