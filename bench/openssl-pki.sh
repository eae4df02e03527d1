#!/usr/bin/env bash
# The peer for `npm run bench`: the same kubeadm PKI (16 keys; 3 CAs, 7 leaves, 5 kubeconfig client
# certificates, sa.key/sa.pub) made the way a tutorial does it, one openssl process per step.
# usage: openssl-pki.sh DIR rsa|ecdsa
set -euo pipefail
dir=$1
kind=${2:-rsa}
node=controlplane
ip=192.168.56.10
mkdir -p "$dir/pki/etcd" "$dir/kubeconfig"
cd "$dir"

newkey() {
  if [ "$kind" = rsa ]; then openssl genrsa -out "$1" 2048 2>/dev/null
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; fi
}

ca() { # name cn
  newkey "pki/$1.key"
  openssl req -x509 -new -key "pki/$1.key" -subj "/CN=$2" -days 3650 -out "pki/$1.crt" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" -addext "subjectAltName=DNS:$2" 2>/dev/null
}

leaf() { # out-base ca subject eku [san]
  newkey "$1.key"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr" 2>/dev/null
  {
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$4"
    echo "basicConstraints=critical,CA:FALSE"
    [ -n "${5:-}" ] && echo "subjectAltName=$5"
  } > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "pki/$2.crt" -CAkey "pki/$2.key" -CAcreateserial -days 365 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca kubernetes
ca front-proxy-ca front-proxy-ca
ca etcd/ca etcd-ca
etcd_san="DNS:$node,DNS:localhost,IP:$ip,IP:127.0.0.1,IP:::1"
leaf pki/apiserver ca "/CN=kube-apiserver" serverAuth \
  "DNS:$node,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:$ip"
leaf pki/apiserver-kubelet-client ca "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" clientAuth
leaf pki/front-proxy-client front-proxy-ca "/CN=front-proxy-client" clientAuth
leaf pki/etcd/server etcd/ca "/CN=$node" serverAuth,clientAuth "$etcd_san"
leaf pki/etcd/peer etcd/ca "/CN=$node" serverAuth,clientAuth "$etcd_san"
leaf pki/etcd/healthcheck-client etcd/ca "/CN=kube-etcd-healthcheck-client" clientAuth
leaf pki/apiserver-etcd-client etcd/ca "/CN=kube-apiserver-etcd-client" clientAuth
newkey pki/sa.key
openssl pkey -in pki/sa.key -pubout -out pki/sa.pub 2>/dev/null
leaf kubeconfig/admin ca "/O=kubeadm:cluster-admins/CN=kubernetes-admin" clientAuth
leaf kubeconfig/super-admin ca "/O=system:masters/CN=kubernetes-super-admin" clientAuth
leaf kubeconfig/controller-manager ca "/CN=system:kube-controller-manager" clientAuth
leaf kubeconfig/scheduler ca "/CN=system:kube-scheduler" clientAuth
leaf kubeconfig/kubelet ca "/O=system:nodes/CN=system:node:$node" clientAuth
