# Why the rtpengine engine publishes the legs instead of anchoring the call (CONTRACTS.md, "Known gaps (rtpengine engine)").
# Runs Debian's rtpengine in userspace on 127.0.0.1, anchors a call with offer/answer (caller <-> bot through rtpengine),
# forks both legs to one fake SRS with `subscribe request` + `from-tags`, then tries every way 10.5 offers to stop the fork
# alone (a recording pause) and prints what each endpoint received. Run: python3 anchor-probe.py (no arguments).
import re, socket, struct, subprocess, time

def enc(o):
    if isinstance(o, int): return b'i%de' % o
    if isinstance(o, str): o = o.encode()
    if isinstance(o, bytes): return b'%d:' % len(o) + o
    if isinstance(o, list): return b'l' + b''.join(enc(x) for x in o) + b'e'
    return b'd' + b''.join(enc(k) + enc(v) for k, v in sorted(o.items())) + b'e'

def dec(b, i=0):
    c = b[i:i + 1]
    if c == b'i': j = b.index(b'e', i); return int(b[i + 1:j]), j + 1
    if c in (b'l', b'd'):
        i += 1; items = []
        while b[i:i + 1] != b'e': v, i = dec(b, i); items.append(v)
        if c == b'l': return items, i + 1
        return {(k if isinstance(k, str) else k.decode()): v for k, v in zip(items[::2], items[1::2])}, i + 1
    j = b.index(b':', i); n = int(b[i:j]); s = b[j + 1:j + 1 + n]
    try: s = s.decode()
    except UnicodeDecodeError: pass
    return s, j + 1 + n

def udp(timeout=0.3):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); s.settimeout(timeout); return s

daemon = subprocess.Popen(['rtpengine', '--config-file=none', '--foreground', '--log-stderr', '--table=-1',
                           '--interface=127.0.0.1', '--listen-ng=127.0.0.1:22399', '--port-min=32000', '--port-max=32099',
                           '--log-level=6', '--delete-delay=0'], stderr=subprocess.DEVNULL)
try:
    ng = udp(3)
    for _ in range(50):  # bounded wait for the daemon: 5 s
        try:
            ng.sendto(b'p ' + enc({'command': 'ping'}), ('127.0.0.1', 22399)); ng.recv(100); break
        except socket.timeout: pass
    cookie = [0]
    def cmd(d):
        cookie[0] += 1; c = b'c%d ' % cookie[0]
        ng.sendto(c + enc(d), ('127.0.0.1', 22399))
        return dec(ng.recv(65535)[len(c):])[0]
    def sdp(port, user): return ("v=0\r\no=%s 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                 "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" % (user, port))
    port = lambda answer: int(re.findall(r'm=audio (\d+)', answer['sdp'])[0])
    caller, bot, srs = udp(), udp(), [udp(), udp()]
    cid = 'anchor-probe'
    to_bot = port(cmd({'command': 'offer', 'call-id': cid, 'from-tag': 'caller', 'flags': ['trust-address'], 'sdp': sdp(caller.getsockname()[1], 'caller')}))
    to_caller = port(cmd({'command': 'answer', 'call-id': cid, 'from-tag': 'caller', 'to-tag': 'bot', 'flags': ['trust-address'], 'sdp': sdp(bot.getsockname()[1], 'bot')}))
    sub = cmd({'command': 'subscribe request', 'call-id': cid, 'from-tags': ['caller', 'bot'], 'transport-protocol': 'RTP/AVP'})
    print('subscribe request from-tags [caller, bot]:', sub['result'], re.findall(r'm=audio \d+ \S+ \d+|a=sendonly', sub['sdp']))
    answer = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + "".join(
        "m=audio %d RTP/AVP 0\r\na=recvonly\r\n" % s.getsockname()[1] for s in srs)
    print('subscribe answer:', cmd({'command': 'subscribe answer', 'call-id': cid, 'to-tag': sub['to-tag'], 'sdp': answer})['result'])
    seq = [0]
    def exchange(label):
        for _ in range(10):  # 10 packets each way, 20 ms apart; caller SSRC 7, bot SSRC 8
            seq[0] += 1
            caller.sendto(struct.pack('!BBHII', 0x80, 0, seq[0], seq[0] * 160, 7) + b'\x55' * 160, ('127.0.0.1', to_caller))
            bot.sendto(struct.pack('!BBHII', 0x80, 0, seq[0], seq[0] * 160, 8) + b'\x55' * 160, ('127.0.0.1', to_bot))
            time.sleep(0.02)
        def count(s):
            n = 0
            try:
                while True: s.recv(2000); n += 1
            except socket.timeout: return n
        print('  %-58s bot %2d  caller %2d  srs caller-leg %2d  srs bot-leg %2d' % (label, count(bot), count(caller), count(srs[0]), count(srs[1])))
    exchange('anchored, forked (no block)')
    tag = sub['to-tag']
    for verb, args, label in [
            ('block media', [{'to-tag': tag}], 'block media to-tag=<subscription>'),
            ('block media', [{'from-tag': 'caller', 'to-tag': tag}, {'from-tag': 'bot', 'to-tag': tag}], 'block media from-tag=<leg> to-tag=<subscription> (directional)'),
            ('block media', [{'from-tag': tag, 'to-tag': 'caller'}], 'block media from-tag=<subscription> to-tag=caller'),
            ('block media', [{'from-tag': 'caller', 'to-tag': 'bot'}], 'block media from-tag=caller to-tag=bot'),
            ('silence media', [{'from-tag': 'caller', 'to-tag': tag}], 'silence media from-tag=caller to-tag=<subscription>')]:
        for a in args: cmd(dict(a, **{'command': verb, 'call-id': cid}))
        exchange(label)
        for a in args: cmd(dict(a, **{'command': 'un' + verb, 'call-id': cid}))
    print('unsubscribe:', cmd({'command': 'unsubscribe', 'call-id': cid, 'to-tag': tag})['result'])
    exchange('after unsubscribe')
finally:
    daemon.terminate(); daemon.wait(5)
