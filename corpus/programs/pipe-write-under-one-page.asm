; write of 5000 bytes, 4095 readable (less than one pipe page): -EFAULT, nothing written
%define FD 1
%define PRE 0
%define K 4095
%define LEN 5000
%include "pipe-write.inc"
