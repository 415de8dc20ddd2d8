; Brian Raiter's earlier 45-byte true/false (ELFkickers 0.x, tiny/true). golf's own reading of the
; published binary's bytes. Its e_phentsize is 0xc320 (code): kernels from 2.2.17 on check that
; field, so today's compat loader refuses the file with ENOEXEC (the author's README says so of
; his programs for kernels after 2.2.17).
BITS 32
org 0x055f0000
        db      0x7f, "ELF"
        dd      1, 0                    ; p_type PT_LOAD, p_offset
        dw      0                       ; p_vaddr low half
entry:                                  ; 0x055f000e
        pop     edi                     ; argc
        db      0x05                    ; add eax, 0x00030002: its immediate is e_type and e_machine
        dw      2, 3
        xor     ecx, ecx                ; e_version
        jmp     short skip
        dw      0x000e                  ; e_entry low half
skip:
        pop     edi                     ; argv[0]; e_entry high half 0x055f
        db      0x05                    ; add eax, 4: the immediate is e_phoff
        dd      4
        pop     eax
        dec     ecx
        repne scasb
        mov     bl, [edi - 5]
        inc     eax
        and     bl, al                  ; e_phentsize 0xc320 lies in this instruction
        int     0x80
        db      1                       ; e_phnum low
