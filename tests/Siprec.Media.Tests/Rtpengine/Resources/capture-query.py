import socket, subprocess, time, sys, os, struct
def enc(o):
    if isinstance(o,int): return b'i%de'%o
    if isinstance(o,str): o=o.encode()
    if isinstance(o,bytes): return b'%d:'%len(o)+o
    if isinstance(o,list): return b'l'+b''.join(enc(x) for x in o)+b'e'
    if isinstance(o,dict): return b'd'+b''.join(enc(k)+enc(v) for k,v in sorted(o.items()))+b'e'
def dec(b,i=0):
    c=b[i:i+1]
    if c==b'i': j=b.index(b'e',i); return int(b[i+1:j]),j+1
    if c==b'l':
        i+=1; r=[]
        while b[i:i+1]!=b'e': v,i=dec(b,i); r.append(v)
        return r,i+1
    if c==b'd':
        i+=1; r={}
        while b[i:i+1]!=b'e': k,i=dec(b,i); v,i=dec(b,i); r[k if isinstance(k,str) else k.decode()]=v
        return r,i+1
    j=b.index(b':',i); n=int(b[i:j]); s=b[j+1:j+1+n]
    try: s=s.decode()
    except: pass
    return s,j+1+n
p=subprocess.Popen(['rtpengine','--config-file=none','--foreground','--log-stderr','--table=-1','--interface=127.0.0.1','--listen-ng=127.0.0.1:22299','--port-min=31000','--port-max=31099','--log-level=6','--delete-delay=0'],stderr=open('daemon.log','w'))
time.sleep(1.5)
ng=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); ng.settimeout(3)
n=[0]
def cmd(d,raw=None):
    n[0]+=1; cookie=b'c%d '%n[0]
    ng.sendto(cookie+enc(d),('127.0.0.1',22299))
    data=ng.recv(65535); body=data[len(cookie):]
    if raw: open(raw,'wb').write(body)
    return dec(body)[0]
src=[socket.socket(socket.AF_INET,socket.SOCK_DGRAM) for _ in range(2)]
for s in src: s.bind(('127.0.0.1',0))
srs=[socket.socket(socket.AF_INET,socket.SOCK_DGRAM) for _ in range(2)]
for s in srs: s.bind(('127.0.0.1',0)); s.settimeout(0.5)
sdp="v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=SIPREC\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
for s in src: sdp+="m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendonly\r\n"%s.getsockname()[1]
cid='query-capture;siprec-1'
a=cmd({'command':'publish','call-id':cid,'from-tag':'siprec-src','sdp':sdp})
import re
ports=[int(x) for x in re.findall(r'm=audio (\d+)',a['sdp'])]
a=cmd({'command':'subscribe request','call-id':cid,'from-tag':'siprec-src','transport-protocol':'RTP/AVP'})
tt=a['to-tag']
ans="v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
for s in srs: ans+="m=audio %d RTP/AVP 0\r\na=recvonly\r\n"%s.getsockname()[1]
cmd({'command':'subscribe answer','call-id':cid,'to-tag':tt,'sdp':ans})
def pkt(seq,ssrc): return struct.pack('!BBHII',0x80,0,seq,seq*160,ssrc)+b'\xff'*160
for i in range(1,51): src[0].sendto(pkt(i,7),('127.0.0.1',ports[0])); time.sleep(0.02)
for i in range(1,31): src[1].sendto(pkt(i,8),('127.0.0.1',ports[1])); time.sleep(0.02)
cmd({'command':'block media','call-id':cid,'to-tag':tt})
for i in range(51,61): src[0].sendto(pkt(i,7),('127.0.0.1',ports[0])); time.sleep(0.02)
time.sleep(0.3)
got=[0,0]
for k,s in enumerate(srs):
    try:
        while True: s.recv(2048); got[k]+=1
    except socket.timeout: pass
print('received',got, 'to-tag', tt)
q=cmd({'command':'query','call-id':cid},raw='query-answer.bencode')
import json; print(json.dumps(q,indent=1)[:12000])
cmd({'command':'delete','call-id':cid})
p.terminate(); p.wait()
