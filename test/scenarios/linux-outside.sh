#!/bin/bash
# Runs a network scenario's script on a real Linux host (as root) in a network the
# same shape as ctsim's simulated outside (src/kernel/net/outside.ts): eth0
# 52:54:00:12:34:56 192.168.1.10/24 with a default route to a router 192.168.1.1
# that forwards but knows only its own networks, and a remote host 203.0.113.10 and
# .20 behind it. Everything happens in fresh namespaces; nothing touches the host's
# own network. The router and remote namespaces are unnamed, so `ip netns list`
# shows only what the script makes.
#
# usage: unshare -n -m --propagation private bash test/scenarios/linux-outside.sh FILE.scenario
set -e
scenario=$1
script=$(awk '/^--- script/{f=1;next} /^--- /{f=0} f' "$scenario")
mount -t tmpfs tmpfs /run
mount -t sysfs sysfs /sys
ip link set lo up
unshare -n sleep 1000 & router=$!
unshare -n sleep 1000 & remote=$!
sleep 0.2
ip link add eth0 address 52:54:00:12:34:56 type veth peer name lan0 address 52:54:00:ab:cd:01 netns $router
ip addr add 192.168.1.10/24 brd + dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1
nsenter -t $router -n ip link add wan0 address 52:54:00:ab:cd:02 type veth peer name eth0 address 52:54:00:ab:cd:10 netns $remote
nsenter -t $router -n sh -c 'ip link set lo up; ip addr add 192.168.1.1/24 brd + dev lan0; ip addr add 203.0.113.1/24 brd + dev wan0; ip link set lan0 up; ip link set wan0 up; echo 1 > /proc/sys/net/ipv4/ip_forward'
nsenter -t $remote -n sh -c 'ip link set lo up; ip addr add 203.0.113.10/24 brd + dev eth0; ip addr add 203.0.113.20/24 brd + dev eth0; ip link set eth0 up; ip route add default via 203.0.113.1'
set +e
bash -c "$script"
status=$?
kill $router $remote
exit $status
